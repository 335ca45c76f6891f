package org.stacktician.template.parameters;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stacktician.template.ParameterType;
import org.stacktician.template.ParameterType.Base;
import org.stacktician.template.ParameterType.CloudStackReference;
import org.stacktician.template.ParameterType.IdOrName;

/**
 * Parameter types: CloudFormation's {@code String}, {@code Number}, {@code List<Number>},
 * {@code CommaDelimitedList} and {@code List<String>}; AWS-specific types such as
 * {@code AWS::EC2::KeyPair::KeyName} (strings here); and CloudStack-aware types
 * {@code CloudStack::<Noun>::Id|Name} (for example {@code CloudStack::Zone::Name},
 * {@code CloudStack::ServiceOffering::Id}) and lists of them, accepted as strings and checked
 * against the cloud later. SSM parameter types cannot work on CloudStack and are rejected.
 */
public final class ParameterTypes {
  private static final Pattern AWS_SPECIFIC = Pattern.compile("AWS::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+");
  private static final Pattern CLOUDSTACK = Pattern.compile("CloudStack::([A-Za-z0-9]+)::(Id|Name)");
  private static final Pattern LIST = Pattern.compile("List<(.+)>");

  private ParameterTypes() {}

  /** The parsed type, or an exception whose message is the error to show. */
  public static ParameterType parse(String type) {
    switch (type) {
      case "String" -> {
        return new ParameterType(type, Base.STRING, false, Optional.empty());
      }
      case "Number" -> {
        return new ParameterType(type, Base.NUMBER, false, Optional.empty());
      }
      case "CommaDelimitedList", "List<String>" -> {
        return new ParameterType(type, Base.STRING, true, Optional.empty());
      }
      case "List<Number>" -> {
        return new ParameterType(type, Base.NUMBER, true, Optional.empty());
      }
      default -> { }
    }
    if (type.startsWith("AWS::SSM::")) {
      throw new IllegalArgumentException("Template format error: SSM parameter types such as " + type
          + " are not supported on CloudStack; use String");
    }
    Matcher list = LIST.matcher(type);
    boolean isList = list.matches();
    String element = isList ? list.group(1) : type;
    Matcher cs = CLOUDSTACK.matcher(element);
    if (cs.matches()) {
      IdOrName by = cs.group(2).equals("Id") ? IdOrName.ID : IdOrName.NAME;
      return new ParameterType(type, Base.STRING, isList, Optional.of(new CloudStackReference(cs.group(1), by)));
    }
    if (AWS_SPECIFIC.matcher(element).matches()) {
      return new ParameterType(type, Base.STRING, isList, Optional.empty());
    }
    throw new IllegalArgumentException("Template format error: Unrecognized parameter type: " + type);
  }
}
