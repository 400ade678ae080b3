/**
 * A merchant's behaviour data: streaming loader and cleaner for the UCI Online Retail CSV
 * ({@link io.interestfl.interest.data.OnlineRetailLoader}), the federation-wide item catalogue
 * ({@link io.interestfl.interest.data.ItemCatalogue}), per-customer basket sequences
 * ({@link io.interestfl.interest.data.BasketSequences}), the leave-last-basket-out split
 * ({@link io.interestfl.interest.data.TrainTestSplit}) and deterministic customer partitioning
 * ({@link io.interestfl.interest.data.CustomerPartition}).
 *
 * <p>Typical use on a node:
 * <pre>{@code
 * LoadResult data = OnlineRetailLoader.builder().countries(Set.of("Germany")).build().load(file);
 * ItemCatalogue catalogue = ItemCatalogue.read(catalogueFile);          // shared by the federation
 * List<CustomerHistory> histories = BasketSequences.build(data.purchases(), catalogue);
 * TrainTestSplit split = TrainTestSplit.lastBasket(histories);
 * }</pre>
 */
package io.interestfl.interest.data;
