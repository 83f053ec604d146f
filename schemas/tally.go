package schemas

// Tally is what a run report counts: its inputs by status, their
// observations, and its findings by severity.
type Tally struct {
	Inputs                               int
	Loaded, Skipped, Failed, Quarantined int
	Observations                         int
	Findings                             int
	Errors, Warnings                     int
	// Suspects counts the audit's verdicts that name a suspect cell (not
	// those that list candidates).
	Suspects int
}

// Tally counts the report's inputs, observations and findings.
func (r *Report) Tally() Tally {
	t := Tally{Inputs: len(r.Inputs), Findings: len(r.Findings)}
	for i := range r.Inputs {
		in := &r.Inputs[i]
		switch in.Status {
		case StatusLoaded:
			t.Loaded++
		case StatusSkipped:
			t.Skipped++
		case StatusFailed:
			t.Failed++
		case StatusQuarantined:
			t.Quarantined++
		}
		t.Observations += in.Observations
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Severity == SeverityError {
			t.Errors++
		} else {
			t.Warnings++
		}
		if f.SuspectCell != "" && f.Verdict() {
			t.Suspects++
		}
	}
	return t
}

// Status returns the number of inputs with status s.
func (t Tally) Status(s Status) int {
	switch s {
	case StatusLoaded:
		return t.Loaded
	case StatusSkipped:
		return t.Skipped
	case StatusFailed:
		return t.Failed
	case StatusQuarantined:
		return t.Quarantined
	}
	return 0
}
