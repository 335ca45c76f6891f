package org.stacktician.cloudstack.simulator.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the wait-condition signals a guest's boot script would send: top-level {@code cfn-signal}
 * invocations (Linux or Windows, URL plain or Base64) and {@code curl -X PUT} calls. Calls inside
 * shell function definitions (such as the samples' {@code error_exit}) and calls that run only
 * on failure ({@code || cfn-signal}, {@code if %ERRORLEVEL% ...}) are skipped, because a
 * simulated boot succeeds; {@code -e <non-zero>} or {@code -s false} send FAILURE as cfn-signal does.
 */
public final class UserDataSignals {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FUNCTION_HEADER = Pattern.compile("^\\s*(function\\s+[A-Za-z_][\\w-]*|[A-Za-z_][\\w-]*\\s*\\(\\s*\\))\\s*(\\{.*)?$");
  private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+|set\\s+)?([A-Za-z_]\\w*)=(.*)$");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)|%(\\w+)%");
  private static final Set<String> CFN_OPTIONS_WITH_VALUE = Set.of("-e", "--exit-code", "-s", "--success", "-r", "--reason",
      "-d", "--data", "-i", "--id", "--region", "--role", "--url", "-k", "--access-key", "--secret-key", "-c",
      "--credential-file", "-u", "--https-proxy", "--stack", "--resource");
  private static final Set<String> CURL_OPTIONS_WITH_VALUE = Set.of("-H", "--header", "-o", "--output", "-u", "--user",
      "--retry", "--retry-delay", "--max-time", "-m", "--connect-timeout", "-A", "--user-agent", "-w", "--write-out",
      "-e", "--referer", "--cacert", "--cert", "-x", "--proxy");

  private UserDataSignals() {}

  /** The signals in a decoded boot script, in order; {@code instanceId} is the default UniqueId. */
  public static List<WaitConditionSignal> find(String script, String instanceId) {
    String text = maybeBase64(script);
    List<WaitConditionSignal> out = new ArrayList<>();
    Map<String, String> variables = new HashMap<>();
    int functionDepth = 0;
    boolean awaitingBody = false;
    for (String rawLine : text.split("\\r?\\n")) {
      String line = rawLine.strip();
      if (awaitingBody && line.startsWith("{")) {
        awaitingBody = false;
        functionDepth = count(line, '{') - count(line, '}');
        continue;
      }
      awaitingBody = false;
      if (functionDepth > 0) {
        functionDepth += count(line, '{') - count(line, '}');
        continue;
      }
      if (FUNCTION_HEADER.matcher(line).matches()) {
        if (line.contains("{")) {
          functionDepth = count(line, '{') - count(line, '}');
        } else {
          awaitingBody = true;
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("rem ") || line.startsWith("REM ")) {
        continue;
      }
      Matcher assignment = ASSIGNMENT.matcher(line);
      if (assignment.matches() && !line.contains(" ")) {
        List<String> value = tokens(assignment.group(2));
        variables.put(assignment.group(1), value.isEmpty() ? "" : value.get(0));
        continue;
      }
      WaitConditionSignal signal = parseLine(line, variables, instanceId);
      if (signal != null) {
        out.add(signal);
      }
    }
    return out;
  }

  private static WaitConditionSignal parseLine(String line, Map<String, String> variables, String instanceId) {
    int cfn = indexOfCommand(line, "cfn-signal");
    int curl = indexOfCommand(line, "curl");
    int at = cfn >= 0 ? cfn : curl;
    if (at < 0) {
      return null;
    }
    String before = line.substring(0, at).toLowerCase();
    if (before.contains("||") || before.startsWith("if ") || before.startsWith("if(") || before.contains(" then")) {
      return null; // runs only when something failed
    }
    List<String> words = new ArrayList<>();
    for (String t : tokens(line.substring(at))) {
      if (t.equals("&&") || t.equals("||") || t.equals(";") || t.equals("|") || t.equals("&")) break;
      words.add(substitute(t, variables));
    }
    return cfn >= 0 ? cfnSignal(words, instanceId) : curlPut(words, instanceId);
  }

  private static int indexOfCommand(String line, String name) {
    Matcher m = Pattern.compile("(^|[\\s/\\\\\"'&|;(])" + Pattern.quote(name) + "(\\.exe)?(?=\\s|$)").matcher(line);
    return m.find() ? m.start() + m.group(1).length() : -1;
  }

  private static WaitConditionSignal cfnSignal(List<String> words, String instanceId) {
    String exitCode = "0";
    String success = null;
    String reason = null;
    String data = "";
    String id = instanceId;
    String url = null;
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      String value = null;
      String option = w;
      if (w.startsWith("--") && w.contains("=")) {
        option = w.substring(0, w.indexOf('='));
        value = w.substring(w.indexOf('=') + 1);
      } else if (CFN_OPTIONS_WITH_VALUE.contains(w) && i + 1 < words.size()) {
        value = words.get(++i);
      }
      if (value == null) {
        if (!w.startsWith("-")) url = w;
        continue;
      }
      switch (option) {
        case "-e", "--exit-code" -> exitCode = value;
        case "-s", "--success" -> success = value;
        case "-r", "--reason" -> reason = value;
        case "-d", "--data" -> data = value;
        case "-i", "--id" -> id = value;
        default -> { }
      }
    }
    URI target = url(url);
    if (target == null) {
      return null;
    }
    boolean ok = success != null ? !success.equalsIgnoreCase("false") : !exitCode.matches("-?\\d+") || Integer.parseInt(exitCode) == 0;
    ObjectNode body = JSON.createObjectNode();
    body.put("Status", ok ? "SUCCESS" : "FAILURE");
    body.put("Reason", reason != null ? reason : ok ? "" : "Configuration failed.");
    body.put("Data", data);
    body.put("UniqueId", id);
    return new WaitConditionSignal(target, body.toString(), ok);
  }

  private static WaitConditionSignal curlPut(List<String> words, String instanceId) {
    String method = "GET";
    String body = null;
    String url = null;
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("-X") || w.equals("--request")) {
        if (i + 1 < words.size()) method = words.get(++i);
      } else if (w.startsWith("-X") && w.length() > 2) {
        method = w.substring(2);
      } else if (List.of("-d", "--data", "--data-binary", "--data-raw", "--data-ascii").contains(w)) {
        if (i + 1 < words.size()) body = words.get(++i);
      } else if (CURL_OPTIONS_WITH_VALUE.contains(w)) {
        i++;
      } else if (!w.startsWith("-")) {
        url = w;
      }
    }
    URI target = url(url);
    if (!"PUT".equalsIgnoreCase(method) || target == null) {
      return null;
    }
    if (body == null || body.startsWith("@")) {
      ObjectNode o = JSON.createObjectNode();
      o.put("Status", "SUCCESS");
      o.put("Reason", "");
      o.put("Data", "");
      o.put("UniqueId", instanceId);
      body = o.toString();
    }
    boolean ok = !body.contains("\"FAILURE\"");
    return new WaitConditionSignal(target, body, ok);
  }

  private static URI url(String value) {
    if (value == null) return null;
    String candidate = value;
    if (!candidate.startsWith("http://") && !candidate.startsWith("https://")) {
      candidate = maybeBase64(candidate).strip();
    }
    if (!candidate.startsWith("http://") && !candidate.startsWith("https://")) return null;
    try {
      return URI.create(candidate);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String maybeBase64(String text) {
    String t = text.strip();
    if (t.isEmpty() || !t.matches("[A-Za-z0-9+/=\\r\\n]+") || t.length() < 8) return text;
    try {
      String decoded = new String(Base64.getMimeDecoder().decode(t), StandardCharsets.UTF_8);
      return decoded.contains("http") || decoded.contains("cfn-signal") ? decoded : text;
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private static String substitute(String token, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(token);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = variables.get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
    return n;
  }

  /** Splits a shell command line into words: single and double quotes, backslash escapes, ; && || | as words. */
  static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          cur.append(line.charAt(++i));
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else if (c == ';' || c == '|' || c == '&') {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
        if ((c == '|' || c == '&') && i + 1 < line.length() && line.charAt(i + 1) == c) {
          out.add("" + c + c);
          i++;
        } else {
          out.add(String.valueOf(c));
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (inWord) out.add(cur.toString());
    return out;
  }
}
