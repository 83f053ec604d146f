package validate

// keyTable is an open-addressing hash table from lookup keys to records.
// It stores no keys: each slot keeps 32 bits of the hash and a
// representative record whose derived key (its key masked to the scope,
// with one slot cleared for "*" sums) is the slot's key. Eight bytes a slot
// keep the table small and its probes cache-friendly, which matters at a
// million records. The home slot of a key is its hash bits modulo the
// table size, so growing the table rehashes without reading records.
type keyTable struct {
	slots []tableSlot
	mask  uint32
	n     int // entries
	scope int
	clear int // key slot cleared in derived keys, or -1
	c     *checker
	// group: the slots hold group numbers of an aggIndex, whose first
	// records (heads) stand for them.
	group bool
	heads *[]int32
}

type tableSlot struct {
	hash uint32 // hash bits
	rep  int32  // representative record (or group) + 1; 0 is an empty slot
}

// newKeyTable returns a table sized for capacity entries; it grows as
// needed.
func newKeyTable(c *checker, scope, clear, capacity int) *keyTable {
	n := 16
	for n < capacity*2 {
		n *= 2
	}
	return &keyTable{slots: make([]tableSlot, n), mask: uint32(n - 1), scope: scope, clear: clear, c: c}
}

// derive returns the key record i stands for in this table.
func (t *keyTable) derive(i int32) key {
	k := mask(t.c.fullKey(i), t.scope)
	if t.clear >= 0 {
		k[t.clear] = 0
	}
	return k
}

// same reports whether record rep stands for key k in this table (k is
// masked to the scope, its cleared slot zero).
func (t *keyTable) same(rep int32, k *key) bool {
	r := t.c.recs.at(rep)
	ci := &t.c.ctxs[r.ctx]
	rk, cur := r.key, ci.cur
	switch {
	case t.clear == slotCurrency:
		cur = 0
	case t.clear >= 0:
		rk[t.clear-slotFirstKey] = 0
	}
	if rk != [nRecKeys]uint32(k[slotFirstKey:slotCurrency]) || cur != k[slotCurrency] {
		return false
	}
	s := &ci.scope
	switch t.scope {
	case scopeTable:
		return s[0] == k[0] && s[1] == k[1] && s[2] == k[2]
	case scopeFile:
		return s[0] == k[0]
	}
	return true
}

// record returns the record a slot value stands for.
func (t *keyTable) record(v int32) int32 {
	if t.group {
		return (*t.heads)[v]
	}
	return v
}

// hashKey mixes the words of a key (a multiply-xorshift hash) into 32
// bits.
func hashKey(k *key) uint32 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, w := range k {
		h ^= uint64(w)
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return uint32(h ^ h>>32)
}

// get returns the value (record or group) stored under k.
func (t *keyTable) get(k *key) (int32, bool) {
	h := hashKey(k)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s.rep == 0 {
			return 0, false
		}
		if s.hash == h && t.same(t.record(s.rep-1), k) {
			return s.rep - 1, true
		}
	}
}

// putFirst adds record i under its derived key unless the key is already
// there; it returns the representative and whether i became it.
func (t *keyTable) putFirst(i int32) (int32, bool) {
	return t.put(i, i)
}

// putGroupKey files record i, whose derived key is k, into its group: it
// returns the group of k, or makes newGroup (whose head must be i) when
// there is none.
func (t *keyTable) putGroupKey(i, newGroup int32, k *key) (int32, bool) {
	return t.putHashed(i, newGroup, hashKey(k))
}

func (t *keyTable) put(i, v int32) (int32, bool) {
	k := t.derive(i)
	return t.putHashed(i, v, hashKey(&k))
}

// putHashed is put with the hash of i's derived key.
func (t *keyTable) putHashed(i, v int32, h uint32) (int32, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	var k key
	derived := false
	for j := h & t.mask; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		if s.rep == 0 {
			*s = tableSlot{hash: h, rep: v + 1}
			t.n++
			return v, true
		}
		if s.hash != h {
			continue
		}
		if !derived {
			k, derived = t.derive(i), true
		}
		if t.same(t.record(s.rep-1), &k) {
			return s.rep - 1, false
		}
	}
}

// grow doubles the table.
func (t *keyTable) grow() {
	old := t.slots
	t.slots = make([]tableSlot, 2*len(old))
	t.mask = uint32(len(t.slots) - 1)
	for _, s := range old {
		if s.rep == 0 {
			continue
		}
		j := s.hash & t.mask
		for t.slots[j].rep != 0 {
			j = (j + 1) & t.mask
		}
		t.slots[j] = s
	}
}
