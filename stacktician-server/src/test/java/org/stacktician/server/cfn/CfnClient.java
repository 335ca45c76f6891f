package org.stacktician.server.cfn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.stacktician.server.auth.SigV4Signer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** A plain client of the CloudFormation Query API for tests: form posts signed with Signature Version 4. */
final class CfnClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Every answer any client got, for checking them all against the model. */
  static final List<Answer> SEEN = Collections.synchronizedList(new ArrayList<>());

  private final URI endpoint;
  private final String accessKeyId;
  private final String secret;
  private final String service;

  CfnClient(URI endpoint, String accessKeyId, String secret) {
    this(endpoint, accessKeyId, secret, CfnApi.SERVICE);
  }

  /** A client that signs for another service (which the server refuses). */
  CfnClient(URI endpoint, String accessKeyId, String secret, String service) {
    this.endpoint = endpoint;
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.service = service;
  }

  /** One answer: the action asked, status and parsed XML body. */
  record Answer(String action, int status, String text, Document xml) {
    /** The text of the first element of that name anywhere in the answer, null when none. */
    String first(String element) {
      NodeList n = xml.getElementsByTagName(element);
      return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    /** The texts of every element of that name. */
    List<String> all(String element) {
      NodeList n = xml.getElementsByTagName(element);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n.getLength(); i++) {
        out.add(n.item(i).getTextContent());
      }
      return out;
    }

    /** The text of a member of the result itself (not of a structure within it), null when absent. */
    String result(String member) {
      Element root = xml.getDocumentElement();
      for (Node r = root.getFirstChild(); r != null; r = r.getNextSibling()) {
        if (r instanceof Element e && e.getTagName().endsWith("Result")) {
          for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element m && m.getTagName().equals(member)) {
              return m.getTextContent();
            }
          }
        }
      }
      return null;
    }

    String code() {
      return first("Code");
    }

    String message() {
      return first("Message");
    }

    /** The member elements of a list element (of the first of that name). */
    List<Element> members(String list) {
      List<Element> out = new ArrayList<>();
      NodeList lists = xml.getElementsByTagName(list);
      if (lists.getLength() == 0) {
        return out;
      }
      for (Node c = lists.item(0).getFirstChild(); c != null; c = c.getNextSibling()) {
        if (c instanceof Element e && e.getTagName().equals("member")) {
          out.add(e);
        }
      }
      return out;
    }
  }

  /** A signed form post of the action with {@code Version=2010-05-15}. */
  Answer call(String action, String... nameValues) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", action);
    params.put("Version", CfnApi.VERSION);
    for (int i = 0; i < nameValues.length; i += 2) {
      params.put(nameValues[i], nameValues[i + 1]);
    }
    return post(action, form(params), true);
  }

  static String form(Map<String, String> params) {
    return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  /** Posts a form body as it is, signed or not. */
  Answer post(String action, String form, boolean signed) {
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    if (signed) {
      new SigV4Signer(accessKeyId, secret, "eu-west-1", service)
          .sign("POST", endpoint, Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body,
              Instant.now())
          .forEach(b::header);
    }
    return send(action, b.build());
  }

  /** A signed GET with the parameters in the query. */
  Answer get(String action, String query) {
    URI uri = URI.create(endpoint + "?" + query);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    new SigV4Signer(accessKeyId, secret, "us-east-1", service).sign("GET", uri, Map.of(), new byte[0],
        Instant.now()).forEach(b::header);
    return send(action, b.build());
  }

  private static Answer send(String action, HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
      Answer a = new Answer(action, r.statusCode(), r.body(), doc);
      SEEN.add(a);
      return a;
    } catch (IOException | org.xml.sax.SAXException | javax.xml.parsers.ParserConfigurationException e) {
      throw new AssertionError("no XML answer to " + action + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
