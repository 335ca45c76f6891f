package org.stacktician.template.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dependencies between resources: cycle detection (Tarjan's strongly connected components,
 * iterative so deep chains cannot overflow the stack) and execution waves (a resource runs in the
 * wave after the last of its dependencies). Node order is the map's order, i.e. template order.
 */
public final class DependencyGraph {
  private DependencyGraph() {}

  /**
   * Every cycle: each strongly connected component with more than one member, or a node that depends
   * on itself, with members in template order. Edges to unknown nodes are ignored.
   */
  public static List<List<String>> cycles(Map<String, ? extends Collection<String>> edges) {
    List<String> nodes = new ArrayList<>(edges.keySet());
    Map<String, Integer> id = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      id.put(nodes.get(i), i);
    }
    int n = nodes.size();
    int[][] adjacency = new int[n][];
    int[] buffer = new int[16];
    for (int i = 0; i < n; i++) {
      Collection<String> targets = edges.get(nodes.get(i));
      if (buffer.length < targets.size()) {
        buffer = new int[targets.size()];
      }
      int count = 0;
      for (String target : targets) {
        Integer t = id.get(target);
        if (t != null) {
          buffer[count++] = t;
        }
      }
      adjacency[i] = java.util.Arrays.copyOf(buffer, count);
    }
    int[] index = new int[n];
    int[] low = new int[n];
    boolean[] onStack = new boolean[n];
    java.util.Arrays.fill(index, -1);
    int counter = 0;
    Deque<Integer> stack = new ArrayDeque<>();
    List<List<String>> result = new ArrayList<>();
    int[] nextEdge = new int[n];
    Deque<Integer> work = new ArrayDeque<>();
    for (int start = 0; start < n; start++) {
      if (index[start] >= 0) {
        continue;
      }
      work.push(start);
      while (!work.isEmpty()) {
        int v = work.peek();
        if (index[v] < 0) {
          index[v] = low[v] = counter++;
          stack.push(v);
          onStack[v] = true;
        }
        if (nextEdge[v] < adjacency[v].length) {
          int w = adjacency[v][nextEdge[v]++];
          if (index[w] < 0) {
            work.push(w);
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          int parent = work.peek();
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] == index[v]) {
          List<Integer> members = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            members.add(w);
          } while (w != v);
          boolean selfLoop = members.size() == 1 && contains(adjacency[v], v);
          if (members.size() > 1 || selfLoop) {
            members.sort(Integer::compare);
            result.add(members.stream().map(nodes::get).toList());
          }
        }
      }
    }
    result.sort((a, b) -> Integer.compare(id.get(a.get(0)), id.get(b.get(0))));
    return result;
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /**
   * Execution waves of an acyclic graph: wave 0 holds nodes without dependencies, wave k nodes whose
   * latest dependency is in wave k-1. Within a wave, template order. Dependencies on nodes outside
   * the map are ignored.
   */
  public static List<List<String>> waves(Map<String, ? extends Collection<String>> dependencies) {
    List<String> nodes = new ArrayList<>(dependencies.keySet());
    int n = nodes.size();
    Map<String, Integer> id = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      id.put(nodes.get(i), i);
    }
    // Kahn's algorithm over "dependency -> dependent" edges, tracking each node's longest path
    int[] pending = new int[n];
    int[][] dependents = new int[n][];
    int[] dependentCount = new int[n];
    int[][] deps = new int[n][];
    for (int i = 0; i < n; i++) {
      Collection<String> targets = dependencies.get(nodes.get(i));
      int[] own = new int[targets.size()];
      int count = 0;
      for (String target : targets) {
        Integer t = id.get(target);
        if (t != null) {
          own[count++] = t;
          dependentCount[t]++;
        }
      }
      deps[i] = count == own.length ? own : java.util.Arrays.copyOf(own, count);
      pending[i] = count;
    }
    for (int i = 0; i < n; i++) {
      dependents[i] = new int[dependentCount[i]];
      dependentCount[i] = 0;
    }
    for (int i = 0; i < n; i++) {
      for (int d : deps[i]) {
        dependents[d][dependentCount[d]++] = i;
      }
    }
    int[] level = new int[n];
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        queue[tail++] = i;
      }
    }
    int maxLevel = -1;
    while (head < tail) {
      int v = queue[head++];
      maxLevel = Math.max(maxLevel, level[v]);
      for (int w : dependents[v]) {
        level[w] = Math.max(level[w], level[v] + 1);
        if (--pending[w] == 0) {
          queue[tail++] = w;
        }
      }
    }
    if (tail < n) {
      throw new IllegalArgumentException("waves need an acyclic graph; check cycles() first");
    }
    List<List<String>> waves = new ArrayList<>(maxLevel + 1);
    for (int l = 0; l <= maxLevel; l++) {
      waves.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      waves.get(level[i]).add(nodes.get(i));
    }
    return waves.stream().map(List::copyOf).toList();
  }
}
