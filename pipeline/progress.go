package pipeline

import "github.com/tradeetl/tradeetl/schemas"

// Stage names a stage of the pipeline in progress reports.
type Stage int

// The stages, in the order data flows through them.
const (
	StageExtract   Stage = iota // rows read from input files
	StageTransform              // observations produced from the rows
	StageValidate               // observations checked by the record rules
	StageLoad                   // observations written to Parquet
)

var stageNames = [...]string{"extract", "transform", "validate", "load"}

func (s Stage) String() string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return "stage?"
}

// Progress receives counts while a run goes. Its methods are called from
// several goroutines at once and must be safe for that; they should return
// quickly.
type Progress interface {
	// Start is called once with the number of inputs found.
	Start(inputs int)
	// Advance reports n more rows (StageExtract) or observations (the other
	// stages) through a stage.
	Advance(stage Stage, n int)
	// Done reports an input finished, whatever its status.
	Done(in schemas.InputReport)
}

type noProgress struct{}

func (noProgress) Start(int)                {}
func (noProgress) Advance(Stage, int)       {}
func (noProgress) Done(schemas.InputReport) {}
