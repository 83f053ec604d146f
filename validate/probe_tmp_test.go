package validate

import "testing"

func TestProbeTmp(t *testing.T) {
	seen := map[uint32]int{}
	n := 0
	for f := uint32(0); f < 2; f++ {
		for r := uint32(0); r < 4; r++ {
			for p := uint32(0); p < 50; p++ {
				for pr := uint32(0); pr < 100; pr++ {
					for y := uint32(0); y < 25; y++ {
						k := key{1, 0, 2, 10 + r, 20 + p, 80 + f, 100 + pr, 5, 300 + y}
						seen[hashKey(&k)]++
						n++
					}
				}
			}
		}
	}
	t.Logf("%d keys, %d distinct hashes", n, len(seen))
	// probe simulation
	size := uint32(1 << 21)
	slots := make([]uint32, size)
	total := 0
	for f := uint32(0); f < 2; f++ {
		for r := uint32(0); r < 4; r++ {
			for p := uint32(0); p < 50; p++ {
				for pr := uint32(0); pr < 100; pr++ {
					for y := uint32(0); y < 25; y++ {
						k := key{1, 0, 2, 10 + r, 20 + p, 80 + f, 100 + pr, 5, 300 + y}
						h := hashKey(&k)
						j := h & (size - 1)
						for slots[j] != 0 {
							j = (j + 1) & (size - 1)
							total++
						}
						slots[j] = 1
					}
				}
			}
		}
	}
	t.Logf("avg extra probes %.2f", float64(total)/float64(n))
}
