package org.stacktician.server.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * CloudFormation's service model (botocore's {@code service-2.json}, the model the AWS SDKs are
 * generated from), used to check an XML answer: the envelope, the result wrapper, every element's
 * name against its structure's members, every value against its type and enum, required members,
 * and each error's code against the operation's errors and AWS's common ones.
 */
final class CfnModel {
  /** AWS's errors common to every Query API. */
  static final Set<String> COMMON_ERRORS = Set.of("ValidationError", "InvalidClientTokenId", "SignatureDoesNotMatch",
      "MissingAuthenticationToken", "IncompleteSignature", "RequestExpired", "InvalidAction", "MissingAction",
      "MissingParameter", "NoSuchVersion", "InvalidParameterValue", "InternalFailure", "ServiceUnavailable",
      "AccessDenied", "Throttling");

  private final JsonNode model;

  private CfnModel(JsonNode model) {
    this.model = model;
  }

  static CfnModel load(Path serviceJson) throws IOException {
    return new CfnModel(new ObjectMapper().readTree(serviceJson.toFile()));
  }

  String namespace() {
    return model.path("metadata").path("xmlNamespace").asText();
  }

  /** Every problem of one answer to {@code action} (empty when it conforms). */
  List<String> check(CfnClient.Answer a) {
    List<String> problems = new ArrayList<>();
    JsonNode op = model.path("operations").path(a.action());
    Element root = a.xml().getDocumentElement();
    if (op.isMissingNode() && (a.status() == 200 || !"InvalidAction".equals(a.code()))) {
      problems.add("the model has no operation " + a.action() + ", yet the answer is not InvalidAction");
      return problems;
    }
    if (!namespace().equals(root.getNamespaceURI())) {
      problems.add(a.action() + ": namespace " + root.getNamespaceURI() + ", not " + namespace());
    }
    if (a.status() != 200) {
      checkError(a, op, root, problems);
      return problems;
    }
    if (!root.getLocalName().equals(a.action() + "Response")) {
      problems.add(a.action() + ": root element " + root.getLocalName());
    }
    List<Element> children = children(root);
    String wrapper = op.path("output").path("resultWrapper").asText(null);
    Element metadata = children.isEmpty() ? null : children.get(children.size() - 1);
    if (metadata == null || !metadata.getLocalName().equals("ResponseMetadata")
        || children(metadata).size() != 1 || !children(metadata).get(0).getLocalName().equals("RequestId")) {
      problems.add(a.action() + ": no ResponseMetadata/RequestId last");
    }
    if (wrapper == null) {
      if (children.size() != 1) {
        problems.add(a.action() + ": has no output in the model, but the answer has " + children.size() + " elements");
      }
      return problems;
    }
    if (children.size() != 2 || !children.get(0).getLocalName().equals(wrapper)) {
      problems.add(a.action() + ": the result is not one " + wrapper + " element before ResponseMetadata");
      return problems;
    }
    checkShape(children.get(0), op.path("output").path("shape").asText(), a.action() + "/" + wrapper, problems);
    return problems;
  }

  private void checkError(CfnClient.Answer a, JsonNode op, Element root, List<String> problems) {
    if (!root.getLocalName().equals("ErrorResponse")) {
      problems.add(a.action() + ": an error status " + a.status() + " without ErrorResponse");
      return;
    }
    List<Element> children = children(root);
    if (children.size() != 2 || !children.get(0).getLocalName().equals("Error")
        || !children.get(1).getLocalName().equals("RequestId")) {
      problems.add(a.action() + ": ErrorResponse is not Error then RequestId");
      return;
    }
    List<String> names = children(children.get(0)).stream().map(Element::getLocalName).toList();
    if (!names.equals(List.of("Type", "Code", "Message"))) {
      problems.add(a.action() + ": Error has " + names + ", not Type, Code, Message");
    }
    Set<String> codes = new HashSet<>(COMMON_ERRORS);
    Set<Integer> statuses = new HashSet<>();
    for (JsonNode e : op.path("errors")) {
      JsonNode error = model.path("shapes").path(e.path("shape").asText()).path("error");
      codes.add(error.path("code").asText());
      statuses.add(error.path("httpStatusCode").asInt());
      if (error.path("code").asText().equals(a.code()) && error.path("httpStatusCode").asInt() != a.status()) {
        problems.add(a.action() + ": " + a.code() + " with status " + a.status() + ", the model says "
            + error.path("httpStatusCode").asInt());
      }
    }
    if (!codes.contains(a.code())) {
      problems.add(a.action() + ": error code " + a.code() + " is neither the operation's nor a common one");
    }
    String type = a.first("Type");
    if (!("Sender".equals(type) && a.status() < 500 || "Receiver".equals(type) && a.status() >= 500)) {
      problems.add(a.action() + ": Type " + type + " with status " + a.status());
    }
  }

  private void checkShape(Element e, String shapeName, String path, List<String> problems) {
    JsonNode shape = model.path("shapes").path(shapeName);
    String type = shape.path("type").asText();
    String text = e.getTextContent();
    switch (type) {
      case "structure" -> {
        Set<String> present = new HashSet<>();
        for (Element c : children(e)) {
          String name = c.getLocalName();
          JsonNode member = shape.path("members").path(name);
          if (member.isMissingNode()) {
            problems.add(path + ": " + name + " is not a member of " + shapeName);
            continue;
          }
          if (!present.add(name)) {
            problems.add(path + ": " + name + " twice");
          }
          checkShape(c, member.path("shape").asText(), path + "/" + name, problems);
        }
        for (JsonNode required : shape.path("required")) {
          if (!present.contains(required.asText())) {
            problems.add(path + ": the required member " + required.asText() + " of " + shapeName + " is missing");
          }
        }
      }
      case "list" -> {
        for (Element c : children(e)) {
          if (!c.getLocalName().equals("member")) {
            problems.add(path + ": list item " + c.getLocalName() + ", not member");
          } else {
            checkShape(c, shape.path("member").path("shape").asText(), path + "/member", problems);
          }
        }
      }
      case "map" -> problems.add(path + ": maps are not answered by this server yet");
      case "string" -> {
        if (!children(e).isEmpty()) {
          problems.add(path + ": a string with child elements");
        }
        if (shape.has("enum")) {
          boolean known = false;
          for (JsonNode v : shape.path("enum")) {
            known |= v.asText().equals(text);
          }
          if (!known) {
            problems.add(path + ": '" + text + "' is not one of " + shape.path("enum"));
          }
        }
      }
      case "boolean" -> {
        if (!text.equals("true") && !text.equals("false")) {
          problems.add(path + ": boolean '" + text + "'");
        }
      }
      case "integer", "long" -> {
        try {
          Long.parseLong(text);
        } catch (NumberFormatException ex) {
          problems.add(path + ": " + type + " '" + text + "'");
        }
      }
      case "double", "float" -> {
        try {
          Double.parseDouble(text);
        } catch (NumberFormatException ex) {
          problems.add(path + ": " + type + " '" + text + "'");
        }
      }
      case "timestamp" -> {
        try {
          OffsetDateTime.parse(text);
        } catch (DateTimeParseException ex) {
          problems.add(path + ": timestamp '" + text + "' is not ISO-8601");
        }
      }
      default -> problems.add(path + ": type " + type + " is not checked");
    }
  }

  private static List<Element> children(Node n) {
    List<Element> out = new ArrayList<>();
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }
}
