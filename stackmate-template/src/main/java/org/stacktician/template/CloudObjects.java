package org.stacktician.template;

import java.util.List;
import java.util.Optional;

/**
 * The objects of the stack's cloud that CloudStack-aware parameter types name ({@code
 * CloudStack::Zone::Name}, {@code CloudStack::ServiceOffering::Id}, ...), for the rule functions
 * {@code Fn::RefAll}, {@code Fn::ValueOf} and {@code Fn::ValueOfAll}. A {@link StackContext} has
 * none when no cloud is at hand (offline validate-template and plan): the assertions that need them
 * are then not decided, and said so.
 */
public interface CloudObjects {
  /** The id or the name (as {@code type.by()} says) of every object of {@code type.noun()} the account sees. */
  List<String> all(ParameterType.CloudStackReference type);

  /**
   * The {@code attribute} ({@code Tags.<key>}, or a field of the object such as {@code name} or
   * {@code networktype}) of the object of {@code type} that {@code value} names; empty when that
   * object has no such tag or the field is not set.
   *
   * @throws Refused when no object of that type is named {@code value}, or objects of that type have
   *     no such attribute
   */
  Optional<String> attribute(ParameterType.CloudStackReference type, String value, String attribute);

  /** A question the cloud cannot answer (an unknown kind of object or attribute, a failed call): the message says why. */
  final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message);
    }
  }
}
