// The crash fuzzer (issue 12, docs/fuzzing.md): the input is a workload file; each input runs
// through the guest's runner and the kernel's store-call checks on the host store and the
// emulated SSD, and every crash state of every cut point is checked (simulator/fuzz/). A
// violated invariant aborts with its ID and the cut, so libFuzzer keeps the input. The custom
// mutator and crossover edit programs, so every input stays a valid workload.
#include <ferros/fuzz/target.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) { return ferros::fuzz::target::initialize(); }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return ferros::fuzz::target::test_one_input(data, size);
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed)
{
    return ferros::fuzz::target::mutate(data, size, max_size, seed);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* first, size_t first_size, const uint8_t* second,
    size_t second_size, uint8_t* out, size_t max_out_size, unsigned int seed)
{
    return ferros::fuzz::target::cross_over(first, first_size, second, second_size, out, max_out_size, seed);
}
