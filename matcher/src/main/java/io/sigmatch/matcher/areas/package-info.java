/**
 * Areas (DESIGN §5, §13): named sets of cells, loaded from {@code plmn,cell} CSV files into one
 * off-heap table from cell to the set of areas that contain it ({@link io.sigmatch.matcher.areas.AreaMap}).
 */
package io.sigmatch.matcher.areas;
