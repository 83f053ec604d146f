package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tradeetl/tradeetl/pipeline"
	"github.com/tradeetl/tradeetl/schemas"
)

func newPublishCmd(stdout, stderr io.Writer) *cobra.Command {
	var c common
	var f runFlags
	var st storeFlags
	var runID string
	cmd := &cobra.Command{
		Use:   "publish --run RUN_ID [flags]",
		Short: "Publish a sharded run from the shards it staged",
		Long: `Publish the run RUN_ID from what its shards (run --shard I/N --run-id RUN_ID)
staged under OUT/.shards/RUN_ID/: check that every shard 0..N-1 completed,
with the same options and inputs, against the output still published;
check the rules of scope run over all of them; and publish the run once,
exactly as one run over every input would have (manifest.json last).

The last shard to complete publishes the run by itself; publish is for
doing it explicitly, or again after a failure. Give it the options that
shape the output that the shards had (--rules, --labels, --layout,
--compression, --row-group-rows, --partition-by, --fail-on, --encoding).

A run already published is not published again (exit 0). A shard that is
missing or failed publishes nothing (exit 6, naming the shards): run it
again, then publish.`,
		Example: `  tradeetl publish --run trade-20261206 --out /data/trade
  tradeetl publish --run trade-20261206 --out /data/trade --rules my-rules.yaml --wait=10m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runID == "" {
				return usageError(errors.New("publish: --run RUN_ID is needed"))
			}
			cfg, lift, err := c.setup(cmd, nil)
			if err != nil {
				return err
			}
			defer lift()
			finish, err := f.apply(&cfg, stderr)
			if err != nil {
				return err
			}
			cfg.RunID = runID
			ctx := cmd.Context()
			cfg.Publishing = watchStop(ctx)
			rep, cfg, err := st.publish(ctx, cfg, stdout, f.quiet)
			finish()
			if errors.Is(err, pipeline.ErrPublished) {
				if !f.quiet {
					fmt.Fprintf(stdout, "run %s is already published in %s; nothing to do\n", runID, cfg.OutDir)
				}
				return nil
			}
			return finishRun(ctx, rep, err, cfg, stdout, stderr, f.quiet, c.out)
		},
	}
	cmd.Flags().StringVar(&runID, "run", "", "the run to publish: the --run-id its shards were given")
	c.register(cmd)
	c.registerOutput(cmd)
	f.register(cmd)
	st.register(cmd, true)
	return cmd
}

// finishRun prints the report of a run that published (or failed), as
// run does.
func finishRun(ctx context.Context, rep *schemas.Report, err error, cfg pipeline.Config, stdout, stderr io.Writer, quiet bool, out output) error {
	var se *signalError
	if err == nil && errors.As(context.Cause(ctx), &se) {
		fmt.Fprintf(stderr, "tradeetl: %v after run %s had begun to publish: it was published in full (see %s)\n", se, rep.RunID, filepath.Join(cfg.OutDir, pipeline.ReportFile))
		return report(rep, nil, cfg, io.Discard, true, out)
	}
	return report(rep, err, cfg, stdout, quiet, out)
}

// reportShard prints what a shard did and turns it into the exit code: 0
// when the shard staged its inputs and waits for others, or found the run
// published; the run's code when it published the run.
func reportShard(res *pipeline.ShardResult, err error, cfg pipeline.Config, stdout, stderr io.Writer, quiet bool, out output) error {
	if res != nil && res.Report != nil {
		return report(res.Report, err, cfg, stdout, quiet, out)
	}
	if err != nil {
		if res != nil {
			err = fmt.Errorf("shard %s of run %s completed, but publishing the run failed (tradeetl publish --run %s retries): %w", res.Shard, res.RunID, res.RunID, err)
		}
		return report(nil, err, cfg, stdout, quiet, out)
	}
	if quiet {
		return nil
	}
	if res.Published {
		fmt.Fprintf(stdout, "run %s is published; shard %s has nothing to do\n", res.RunID, res.Shard)
		return nil
	}
	counts := map[schemas.Status]int{}
	for _, in := range res.Inputs {
		counts[in.Status]++
	}
	fmt.Fprintf(stdout, "shard %s of run %s: %d inputs staged (%d loaded, %d skipped, %d failed, %d quarantined), %d findings; waiting for shards %s, the last of which publishes the run\n",
		res.Shard, res.RunID, len(res.Inputs), counts[schemas.StatusLoaded], counts[schemas.StatusSkipped], counts[schemas.StatusFailed], counts[schemas.StatusQuarantined],
		res.Findings, joinShards(res.Waiting))
	return nil
}

func joinShards(xs []int) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(x)
	}
	return s
}
