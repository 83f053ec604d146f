package extract

import (
	"fmt"
	"io"
)

func openXLS(path string, r io.ReaderAt, size int64, lim Limits) (Workbook, error) {
	return nil, fmt.Errorf("open %s: %w", path, ErrLegacyXLS)
}
