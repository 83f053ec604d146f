//go:build !unix && !windows

package load

import (
	"fmt"
	"os"
	"runtime"
)

func tryLock(*os.File) (bool, error) {
	return false, fmt.Errorf("locking an output directory is not supported on %s", runtime.GOOS)
}

func unlock(*os.File) error { return nil }
