package org.stacktician.bench.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateLoader;

/**
 * Parse + validate + plan of a generated 500-resource template with dense references, side by side
 * with a plain Jackson {@code readTree} of the same bytes (the baseline for the "within 5x" goal).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar TemplateBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TemplateBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

  /** JSON or YAML text of the same template. */
  @Param({"json", "yaml"})
  public String format;

  private byte[] bytes;
  private final StackContext context = StackContext.forPlanning("bench");
  private final ParameterInput parameters = new ParameterInput(Map.of("Zone", "zone1"));

  @Setup(Level.Trial)
  public void generate() {
    String text = format.equals("json") ? DenseTemplate.json(500) : DenseTemplate.yaml(500);
    bytes = text.getBytes(StandardCharsets.UTF_8);
    if (!(parseValidatePlan() instanceof PlanResult.Planned)) {
      throw new IllegalStateException("the generated template does not plan: " + parseValidatePlan());
    }
  }

  /** The baseline: Jackson's tree model of the same bytes (Jackson's YAML module for the YAML text). */
  @Benchmark
  public JsonNode plainJacksonReadTree() throws Exception {
    return (format.equals("json") ? JSON : YAML).readTree(bytes);
  }

  /** What {@code stackmate plan} does: parse with positions, validate, bind parameters, resolve, order. */
  @Benchmark
  public PlanResult parseValidatePlan() {
    LoadResult loaded = TemplateLoader.load(bytes, "bench");
    if (loaded instanceof LoadResult.Loaded ok) {
      return Planner.plan(ok.template(), parameters, context);
    }
    throw new IllegalStateException(loaded.toString());
  }

  /** Parse and validate only (validate-template). */
  @Benchmark
  public LoadResult parseAndValidate() {
    return TemplateLoader.load(bytes, "bench");
  }
}
