package org.stacktician.template.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cycle detection and execution waves. */
class DependencyGraphTest {

  private static Map<String, Set<String>> graph(Object... pairs) {
    Map<String, Set<String>> g = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      g.put((String) pairs[i], (Set<String>) pairs[i + 1]);
    }
    return g;
  }

  @Test
  void wavesLayerByLongestDependencyChain() {
    Map<String, Set<String>> g = graph("A", Set.of(), "B", Set.of("A"), "C", Set.of(), "D", Set.of("B", "C"),
        "E", Set.of("A"));
    assertThat(DependencyGraph.cycles(g)).isEmpty();
    assertThat(DependencyGraph.waves(g)).containsExactly(List.of("A", "C"), List.of("B", "E"), List.of("D"));
    assertThat(DependencyGraph.waves(Map.of())).isEmpty();
  }

  @Test
  void cyclesAreReportedWithTheirMembersInTemplateOrder() {
    Map<String, Set<String>> g = graph("X", Set.of(), "A", Set.of("C"), "B", Set.of("A"), "C", Set.of("B", "X"),
        "S", Set.of("S"), "P", Set.of("Q"), "Q", Set.of("P"));
    assertThat(DependencyGraph.cycles(g)).containsExactly(List.of("A", "B", "C"), List.of("S"), List.of("P", "Q"));
  }

  @Test
  void longChainsDoNotOverflowTheStack() {
    Map<String, Set<String>> g = new LinkedHashMap<>();
    for (int i = 0; i < 20_000; i++) {
      g.put("R" + i, i == 0 ? Set.of() : Set.of("R" + (i - 1)));
    }
    assertThat(DependencyGraph.cycles(g)).isEmpty();
    assertThat(DependencyGraph.waves(g)).hasSize(20_000);
    g.put("R0", Set.of("R19999"));
    assertThat(DependencyGraph.cycles(g)).singleElement().satisfies(c -> assertThat(c).hasSize(20_000));
  }
}
