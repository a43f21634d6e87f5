#pragma once
// Recognises a device whose format was cut short: Store::format zeroes the whole device, flushes,
// then writes the first anchor. A cut during that anchor write can leave a torn anchor (its
// magic written, its checksum not), which mount reports as Corrupt rather than NoAnchor. Such a
// device holds nothing: no anchor verifies and the record ring is all zeros, so formatting it
// again loses no data. Any other Corrupt device is left alone for the campaign to report.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/ring/ssd.h>

namespace ferros::kernel {

// Whether no anchor slot verifies and every byte after the anchor ring is zero. Reads the
// whole device through `scratch` (any non-zero size); only the mount-failure path calls it.
// Errors: InvalidArgument (device size), device errors.
ErrorOr<bool> is_interrupted_format(ring::Ssd& ssd, Bytes scratch);

} // namespace ferros::kernel
