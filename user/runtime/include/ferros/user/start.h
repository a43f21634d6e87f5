#pragma once
// What a program receives at start (docs/kernel.md, process start): its argument bytes from the
// boot bundle and, if granted, the workload, mapped read-only. crt0.S calls ferros_main with
// them in the first four argument registers and passes its result to Exit.

#include <ferros/base/bytes.h>
#include <stdint.h>

extern "C" uint8_t ferros_main(
    const uint8_t* args, uint64_t args_length, const uint8_t* workload, uint64_t workload_length);
