package io.interestfl.simulations.demo;

import java.util.List;

/** One client node of the demo: a region (or merchant) and the slice of the data it holds. */
record DemoRegion(String name, String label, List<String> countries, int bucket, int buckets) {
  /** Continental Europe without Germany and France, plus EIRE and the Channel Islands. */
  static final List<String> REST_OF_EUROPE = List.of("EIRE", "Spain", "Netherlands", "Belgium", "Switzerland",
      "Portugal", "Italy", "Finland", "Austria", "Norway", "Sweden", "Denmark", "Channel Islands", "Cyprus",
      "Poland", "Iceland", "Greece", "Malta", "Lithuania", "Czech Republic", "European Community");

  static List<DemoRegion> defaults(int ukRegions) {
    List<DemoRegion> regions = new java.util.ArrayList<>();
    for (int i = 0; i < ukRegions; i++) {
      regions.add(new DemoRegion("uk-" + (i + 1), "United Kingdom " + (i + 1) + "/" + ukRegions,
          List.of("United Kingdom"), i, ukRegions));
    }
    regions.add(new DemoRegion("germany", "Germany", List.of("Germany"), 0, 1));
    regions.add(new DemoRegion("france", "France", List.of("France"), 0, 1));
    regions.add(new DemoRegion("rest-of-europe", "Rest of Europe", REST_OF_EUROPE, 0, 1));
    return regions;
  }
}
