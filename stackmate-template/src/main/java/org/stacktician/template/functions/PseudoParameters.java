package org.stacktician.template.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Set;
import org.stacktician.template.StackContext;

/**
 * CloudFormation's pseudo parameters plus the original StackMate's {@code CloudStack::} ones.
 * {@code AWS::NoValue} resolves to a {@link MissingNode}, which removes the property it is in.
 */
public final class PseudoParameters {
  /** Every pseudo parameter name, in documentation order. */
  public static final List<String> NAMES = List.of(
      "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
      "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
      "CloudStack::StackName", "CloudStack::StackId", "CloudStack::StackMateApiURL");

  private static final Set<String> SET = Set.copyOf(NAMES);

  private PseudoParameters() {}

  /** True when {@code name} is a pseudo parameter. */
  public static boolean isPseudo(String name) {
    return SET.contains(name);
  }

  private static TextNode text(String s) {
    return TextNode.valueOf(s == null ? "" : s);
  }

  /** The value of a pseudo parameter for a stack. */
  public static JsonNode value(String name, StackContext context) {
    return switch (name) {
      case "AWS::AccountId" -> text(context.accountId());
      case "AWS::NotificationARNs" -> {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        context.notificationArns().forEach(list::add);
        yield list;
      }
      case "AWS::NoValue" -> MissingNode.getInstance();
      case "AWS::Partition" -> text(context.partition());
      case "AWS::Region" -> text(context.region());
      case "AWS::StackId", "CloudStack::StackId" -> text(context.stackId());
      case "AWS::StackName", "CloudStack::StackName" -> text(context.stackName());
      case "AWS::URLSuffix" -> text(context.urlSuffix());
      case "CloudStack::StackMateApiURL" -> text(context.stackMateApiUrl());
      default -> throw new IllegalArgumentException("not a pseudo parameter: " + name);
    };
  }
}
