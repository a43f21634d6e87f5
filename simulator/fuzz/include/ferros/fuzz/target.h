#pragma once
// The libFuzzer glue of the crash fuzzer, so that fuzz/crash/fuzz_crash.cpp stays a few lines.
//
// Configuration comes from the environment (libFuzzer owns the command line, and its fork
// and merge modes pass the environment on to every process they start):
//   FERROS_FUZZ_POLICY     crash policy (default cache:512:4, the campaign's)
//   FERROS_FUZZ_BUG        seeded bug the store is built with (default none)
//   FERROS_FUZZ_SEED       seed of sampled state spaces and of the cut-point sample (default 1)
//   FERROS_FUZZ_MAX_CUTS   cut points checked at most per input (default 256; 0 = all)
//   FERROS_FUZZ_LIVE       0: leave R14 (the continuation after recovery) out (default 1)
//   FERROS_FUZZ_KNOWN      a file of known signatures, one key a line ("R3:put>sync"): their
//                          violations are not reported again (re-read when it changes)
//   FERROS_FUZZ_STATS      a file this process counts its executions in (8 bytes, shared map)
//
// A violation of a signature not known aborts the process after two lines on stderr:
//   ==ferros-fuzz== FINDING <key> <describe(...)>
//   SUMMARY: ferros-fuzz: <key>
// so that libFuzzer keeps the input as a crash artefact.

#include <cstddef>
#include <cstdint>

namespace ferros::fuzz::target {

int initialize();
int test_one_input(const uint8_t* data, size_t size);
size_t mutate(uint8_t* data, size_t size, size_t max_size, unsigned int seed);
size_t cross_over(const uint8_t* first, size_t first_size, const uint8_t* second, size_t second_size, uint8_t* out,
    size_t max_out_size, unsigned int seed);

} // namespace ferros::fuzz::target
