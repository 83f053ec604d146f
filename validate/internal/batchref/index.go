package batchref

// keyTable is an open-addressing hash table from lookup keys to
// observations. It stores no keys: each slot keeps part of the hash and a
// representative observation whose derived key (its key masked to the
// scope, with one slot cleared for "*" sums) is the slot's key. Eight bytes
// a slot keep the table small and its probes cache-friendly, which matters
// at a million observations.
type keyTable struct {
	slots []tableSlot
	mask  uint64
	scope int
	clear int // key slot cleared in derived keys, or -1
	keys  []key
}

type tableSlot struct {
	hash uint32 // high bits of the hash
	rep  int32  // representative observation + 1; 0 is an empty slot
}

func newKeyTable(keys []key, scope, clear, capacity int) *keyTable {
	n := 16
	for n < capacity+capacity/2 {
		n *= 2
	}
	return &keyTable{slots: make([]tableSlot, n), mask: uint64(n - 1), scope: scope, clear: clear, keys: keys}
}

// derive returns the key observation i stands for in this table.
func (t *keyTable) derive(i int32) key {
	k := mask(t.keys[i], t.scope)
	if t.clear >= 0 {
		k[t.clear] = 0
	}
	return k
}

// hashKey mixes the words of a key (a multiply-xorshift hash).
func hashKey(k *key) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, w := range k {
		h ^= uint64(w)
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return h
}

// get returns the representative observation of k.
func (t *keyTable) get(k *key) (int32, bool) {
	h := hashKey(k)
	tag := uint32(h >> 32)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s.rep == 0 {
			return 0, false
		}
		if s.hash == tag && t.derive(s.rep-1) == *k {
			return s.rep - 1, true
		}
	}
}

// putFirst adds observation i under its derived key unless the key is
// already there; it returns the representative and whether i became it.
func (t *keyTable) putFirst(i int32) (int32, bool) {
	k := t.derive(i)
	h := hashKey(&k)
	tag := uint32(h >> 32)
	for j := h & t.mask; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		if s.rep == 0 {
			*s = tableSlot{hash: tag, rep: i + 1}
			return i, true
		}
		if s.hash == tag && t.derive(s.rep-1) == k {
			return s.rep - 1, false
		}
	}
}
