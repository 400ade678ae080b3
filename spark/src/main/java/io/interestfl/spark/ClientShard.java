package io.interestfl.spark;

import io.interestfl.interest.data.CustomerHistory;
import java.io.Serializable;
import java.util.List;

/** One virtual client as a Spark record: its index in the federation and its training histories. */
record ClientShard(int index, List<CustomerHistory> histories) implements Serializable {}
