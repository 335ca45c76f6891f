package org.stacktician.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How expected and actual properties compare, as CloudFormation reports property differences. */
class PropertyComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<PropertyDifference> diff(String expected, String actual, String... secrets) throws Exception {
    return PropertyComparison.differences((ObjectNode) JSON.readTree(expected), (ObjectNode) JSON.readTree(actual),
        Set.of(secrets));
  }

  @Test
  void scalarsCompareAsTextAndOnlyPropertiesReadBackAreCompared() throws Exception {
    assertThat(diff("{\"port\": 80, \"name\": \"a\", \"userdata\": \"x\"}", "{\"port\": \"80\", \"name\": \"a\"}"))
        .isEmpty();
    assertThat(diff("{\"name\": \"a\"}", "{\"name\": \"b\"}"))
        .containsExactly(new PropertyDifference("/name", "a", "b", PropertyDifference.Type.NOT_EQUAL));
    assertThat(diff("{\"name\": \"a\"}", "{\"name\": \"\"}"))
        .containsExactly(new PropertyDifference("/name", "a", null, PropertyDifference.Type.REMOVE));
  }

  @Test
  void listItemsAreMatchedAsASet() throws Exception {
    String rules = "{\"Rules\": [{\"p\": 22}, {\"p\": 80}]}";
    assertThat(diff(rules, "{\"Rules\": [{\"p\": 80}, {\"p\": 22}]}")).isEmpty();
    assertThat(diff(rules, "{\"Rules\": [{\"p\": 80}, {\"p\": 443}]}")).containsExactly(
        new PropertyDifference("/Rules/0", "{\"p\":22}", null, PropertyDifference.Type.REMOVE),
        new PropertyDifference("/Rules/1", null, "{\"p\":443}", PropertyDifference.Type.ADD));
  }

  @Test
  void objectsCompareKeyByKeyAndPathsAreJsonPointers() throws Exception {
    assertThat(diff("{\"a/b\": {\"x\": 1}}", "{\"a/b\": {\"x\": 2, \"y\": 3}}")).containsExactly(
        new PropertyDifference("/a~1b/x", "1", "2", PropertyDifference.Type.NOT_EQUAL),
        new PropertyDifference("/a~1b/y", null, "3", PropertyDifference.Type.ADD));
  }

  @Test
  void noEchoValuesAreMaskedOnBothSides() throws Exception {
    assertThat(diff("{\"displayname\": \"vm-s3cret\"}", "{\"displayname\": \"s3cret-copy\"}", "s3cret"))
        .containsExactly(new PropertyDifference("/displayname", "vm-****", "****-copy",
            PropertyDifference.Type.NOT_EQUAL));
  }

  @Test
  void itemsOfTheSameKeyCompareFieldByFieldAndMapsKeyByKey() throws Exception {
    assertThat(diff("{\"Tags\": [{\"Key\": \"tier\", \"Value\": \"web\"}, {\"Key\": \"env\", \"Value\": \"prod\"}]}",
        "{\"Tags\": [{\"Key\": \"env\", \"Value\": \"prod\"}, {\"Key\": \"tier\", \"Value\": \"front\"},"
            + " {\"Key\": \"extra\", \"Value\": \"x\"}]}")).containsExactly(
        new PropertyDifference("/Tags/0/Value", "web", "front", PropertyDifference.Type.NOT_EQUAL),
        new PropertyDifference("/Tags/2", null, "{\"Key\":\"extra\",\"Value\":\"x\"}", PropertyDifference.Type.ADD));
    assertThat(diff("{\"Tags\": [{\"Key\": \"gone\", \"Value\": \"1\"}]}", "{\"Tags\": []}")).containsExactly(
        new PropertyDifference("/Tags/0", "{\"Key\":\"gone\",\"Value\":\"1\"}", null, PropertyDifference.Type.REMOVE));
    assertThat(diff("{\"details\": {\"a\": \"1\", \"c\": \"3\"}}", "{\"details\": {\"a\": \"2\", \"b\": \"3\"}}"))
        .containsExactly(new PropertyDifference("/details/a", "1", "2", PropertyDifference.Type.NOT_EQUAL),
            new PropertyDifference("/details/c", "3", null, PropertyDifference.Type.REMOVE),
            new PropertyDifference("/details/b", null, "3", PropertyDifference.Type.ADD));
  }
}
