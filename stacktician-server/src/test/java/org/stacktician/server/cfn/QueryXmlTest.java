package org.stacktician.server.cfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The Query protocol's XML: structures, lists of members, timestamps, and any text as well-formed XML. */
class QueryXmlTest {
  static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void resultsAreWrappedAndEveryTextStaysWellFormed() throws Exception {
    ObjectNode result = CfnShapes.object();
    result.put("StackStatusReason", "a <b> & \"c\" 'd'\r\nline\u0001end");
    result.putArray("Stacks").addObject().put("StackName", "web");
    result.putArray("Empty");
    result.putNull("NextToken");
    CfnShapes.time(result, "CreationTime", Instant.parse("2026-12-07T15:05:11.123456Z"));
    String xml = QueryXml.response("DescribeStacks", result, "req-1");
    assertThat(xml).startsWith("<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
        + "<DescribeStacksResult>")
        .contains("<Stacks><member><StackName>web</StackName></member></Stacks><Empty></Empty>")
        .contains("<CreationTime>2026-12-07T15:05:11.123Z</CreationTime>")
        .contains("<StackStatusReason>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#13;\nline\uFFFDend"
            + "</StackStatusReason>")
        .doesNotContain("NextToken")
        .endsWith("</DescribeStacksResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
            + "</DescribeStacksResponse>");
    Document doc = parse(xml);
    assertThat(doc.getElementsByTagName("StackStatusReason").item(0).getTextContent())
        .isEqualTo("a <b> & \"c\" 'd'\r\nline\uFFFDend");
  }

  @Test
  void errorsAreAwsErrorResponses() throws Exception {
    String xml = QueryXml.error(CfnError.validation("Stack with id <x> does not exist"), "req-2");
    Document doc = parse(xml);
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("ErrorResponse");
    assertThat(doc.getElementsByTagName("Type").item(0).getTextContent()).isEqualTo("Sender");
    assertThat(doc.getElementsByTagName("Code").item(0).getTextContent()).isEqualTo("ValidationError");
    assertThat(doc.getElementsByTagName("Message").item(0).getTextContent())
        .isEqualTo("Stack with id <x> does not exist");
    assertThat(doc.getElementsByTagName("RequestId").item(0).getTextContent()).isEqualTo("req-2");
    assertThat(QueryXml.error(CfnError.internal(), "r")).contains("<Type>Receiver</Type>");
    // Escapes at either end, and text with nothing to escape, come out whole.
    assertThat(QueryXml.error(CfnError.validation("<a&b>"), "r")).contains("<Message>&lt;a&amp;b&gt;</Message>");
    assertThat(QueryXml.error(CfnError.validation("plain text"), "r")).contains("<Message>plain text</Message>");
  }
}
