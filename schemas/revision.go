package schemas

// Revision is a figure whose value changed from one delivery to the next
// that publishes it (see [RevisionColumns]): the earlier and the later
// observation of the figure.
type Revision struct {
	Key      string
	Old, New Observation
}

// ChangePct returns (new − old) / |old| in percent, both in the unit (×
// scale); false when either is missing or old is 0.
func (r *Revision) ChangePct() (float64, bool) {
	if !r.Old.HasValue || !r.New.HasValue {
		return 0, false
	}
	o, n := r.Old.Value*r.Old.Scale, r.New.Value*r.New.Scale
	if o == 0 {
		return 0, false
	}
	return (n - o) / abs(o) * 100, true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
