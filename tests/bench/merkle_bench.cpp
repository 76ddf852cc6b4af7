// The Merkle tree over a million leaves in memory: the cost of the tree code itself, which a
// PostgreSQL store adds one round trip to. Target: an inclusion proof in under 50 microseconds.

#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"

#include <cstdint>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

namespace wijkbudget::ledger {
namespace {

constexpr std::uint64_t BENCH_TREE_SIZE{1'000'000};
//! Fixed, so that two runs draw the same indices and can be compared.
constexpr std::uint64_t RANDOM_SEED{20'240'601};

//! Built once, on first use, outside every timed loop.
const MemoryHashStore& MillionLeafStore()
{
    static const MemoryHashStore store = [] {
        MemoryHashStore built;
        built.Reserve(BENCH_TREE_SIZE);
        for (std::uint64_t leaf = 0; leaf < BENCH_TREE_SIZE; ++leaf) {
            built.Append(LeafHash("entry " + std::to_string(leaf)));
        }
        return built;
    }();
    return store;
}

void BenchTreeHash(benchmark::State& state)
{
    const MemoryHashStore& store = MillionLeafStore();
    for (auto _ : state) {
        benchmark::DoNotOptimize(TreeHash(BENCH_TREE_SIZE, store));
    }
}

void BenchProveInclusion(benchmark::State& state)
{
    const MemoryHashStore& store = MillionLeafStore();
    std::mt19937_64 random{RANDOM_SEED};
    std::uniform_int_distribution<std::uint64_t> indices{0, BENCH_TREE_SIZE - 1};
    for (auto _ : state) {
        benchmark::DoNotOptimize(ProveInclusion(indices(random), BENCH_TREE_SIZE, store));
    }
}

void BenchProveConsistency(benchmark::State& state)
{
    const MemoryHashStore& store = MillionLeafStore();
    std::mt19937_64 random{RANDOM_SEED};
    std::uniform_int_distribution<std::uint64_t> sizes{1, BENCH_TREE_SIZE};
    for (auto _ : state) {
        benchmark::DoNotOptimize(ProveConsistency(sizes(random), BENCH_TREE_SIZE, store));
    }
}

//! Verification is what a browser or wijkbudget-verify does with each receipt.
void BenchVerifyInclusion(benchmark::State& state)
{
    const MemoryHashStore& store = MillionLeafStore();
    const std::uint64_t index = 765'432;
    const Hash leaf = LeafHash("entry " + std::to_string(index));
    const Hash root = *TreeHash(BENCH_TREE_SIZE, store);
    const auto proof = *ProveInclusion(index, BENCH_TREE_SIZE, store);
    for (auto _ : state) {
        benchmark::DoNotOptimize(VerifyInclusion(index, BENCH_TREE_SIZE, leaf, proof, root));
    }
}

//! The unit cost under everything above: one SHA-256 of 65 bytes through ledger/sha256.hpp.
void BenchNodeHash(benchmark::State& state)
{
    Hash hash = LeafHash("left");
    const Hash right = LeafHash("right");
    for (auto _ : state) {
        hash = NodeHash(hash, right);
        benchmark::DoNotOptimize(hash);
    }
}

BENCHMARK(BenchNodeHash);
BENCHMARK(BenchTreeHash)->Unit(benchmark::kMicrosecond);
BENCHMARK(BenchProveInclusion)->Unit(benchmark::kMicrosecond);
BENCHMARK(BenchProveConsistency)->Unit(benchmark::kMicrosecond);
BENCHMARK(BenchVerifyInclusion)->Unit(benchmark::kMicrosecond);

} // namespace
} // namespace wijkbudget::ledger

BENCHMARK_MAIN();
