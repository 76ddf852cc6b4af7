#pragma once
// pb/heap.hpp: restoring a binary heap after some of its elements moved away from the top. The
// equal shares engine (equal_shares_run.cpp) keeps its candidates in a heap ordered by a lower
// bound of rho, and raises several bounds at once; one sift-down each is much cheaper than
// rebuilding the heap, whose comparisons are between exact rationals.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace wijkbudget::pb {

/** Restores `heap`, a heap as std::make_heap builds it with `before` (a goes nearer the top than
 *  b) reversed, i.e. the element first by `before` on top, after the elements at `places` moved
 *  away from the top (nothing else changed). Each is sifted down, the deepest first, so that
 *  each sifts into subtrees that are heaps again, as std::make_heap proceeds; in another order a
 *  sift can leave an element above a smaller one that a later sift brings up. `places` is
 *  sorted and may hold duplicates. */
template <class T, class Before>
void RestoreHeap(std::vector<T>& heap, std::vector<std::size_t>& places, Before before)
{
    std::sort(places.begin(), places.end(), std::greater<>{});
    places.erase(std::unique(places.begin(), places.end()), places.end());
    for (std::size_t place : places) {
        for (;;) {
            std::size_t first = place;
            for (const std::size_t child : {2 * place + 1, 2 * place + 2}) {
                if (child < heap.size() && before(heap[child], heap[first])) first = child;
            }
            if (first == place) break;
            std::swap(heap[place], heap[first]);
            place = first;
        }
    }
}

} // namespace wijkbudget::pb
