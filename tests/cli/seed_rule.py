"""cdpsim's one seed rule (sim/splitmix.hpp), written independently, so tests can reproduce any
run of an ensemble, a comparison or `cdpsim facts` alone with `cdpsim run --seed`."""

MASK = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def replicate_seed(master, replicate):
    """SplitMix64(SplitMix64(master) xor replicate) >> 12."""
    return splitmix64(splitmix64(master) ^ replicate) >> 12
