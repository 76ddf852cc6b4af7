// tests/unit/pb/heap_test.cpp: RestoreHeap() (pb/heap.hpp) leaves a heap, whatever elements were
// raised, several on one path from the top included.
#include "pb/heap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace wijkbudget::pb {
namespace {

TEST(HeapTest, RestoreHeapAfterRaisingAnyElements)
{
    std::mt19937 random{20260604u};
    // The least on top, as the engine keeps the least bound on top; std::make_heap takes the
    // reverse order.
    const auto before = [](int a, int b) {
        return a < b;
    };
    const auto after = [&](int a, int b) {
        return before(b, a);
    };
    for (int round = 0; round < 2000; ++round) {
        const int size = std::uniform_int_distribution<int>{1, 40}(random);
        std::vector<int> heap(static_cast<std::size_t>(size));
        for (int& element : heap) {
            element = std::uniform_int_distribution<int>{0, 99}(random);
        }
        std::make_heap(heap.begin(), heap.end(), after);
        std::vector<std::size_t> places;
        const int raises = std::uniform_int_distribution<int>{1, 6}(random);
        for (int r = 0; r < raises; ++r) {
            const auto place =
                std::uniform_int_distribution<std::size_t>{0, heap.size() - 1}(random);
            heap[place] += std::uniform_int_distribution<int>{0, 120}(random);
            places.push_back(place);
        }
        auto elements = heap;
        RestoreHeap(heap, places, before);
        ASSERT_TRUE(std::is_heap(heap.begin(), heap.end(), after)) << "round " << round;
        std::sort(elements.begin(), elements.end());
        std::sort(heap.begin(), heap.end());
        ASSERT_EQ(heap, elements); // the same elements
    }
}

} // namespace
} // namespace wijkbudget::pb
