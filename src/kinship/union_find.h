// Disjoint sets over 0..n-1 (path halving), for grouping: loop detection in pedigrees, grouping
// samples into individuals, connected groups of candidate assignments.
#pragma once

#include <numeric>
#include <vector>

namespace whereabouts::kinship {

class UnionFind {
 public:
  explicit UnionFind(int n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  // The representative of x's set.
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // Joins the set of `from` into the set of `into` (whose representative stays the
  // representative). Returns false when they were already one set.
  bool Merge(int into, int from) {
    into = Find(into);
    from = Find(from);
    if (into == from) return false;
    parent_[from] = into;
    return true;
  }
  // Adds a new singleton set and returns its element.
  int Add() {
    parent_.push_back(static_cast<int>(parent_.size()));
    return static_cast<int>(parent_.size()) - 1;
  }

 private:
  std::vector<int> parent_;
};

}  // namespace whereabouts::kinship
