package layertest

import _ "github.com/moby/go-archive"
