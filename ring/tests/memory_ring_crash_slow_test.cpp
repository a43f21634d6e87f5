// The step-by-step crash test over many more seeds and laps than the default run affords
// (label slow): every step verified, every allocation read back, a capture restored.
#include "memory_ring_crash.h"

using namespace ferros::ring::testing;

TEST(MemoryRingCrashSlow, VerifiesAfterEveryCleanerStepOverManySeeds)
{
    for (uint64_t seed = 3; seed <= 34; ++seed)
        check_seed(seed, 8);
}
