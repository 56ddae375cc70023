module github.com/olareg/olareg

go 1.25.0

require (
	github.com/goccy/go-yaml v1.19.2
	github.com/spf13/cobra v1.10.2
	github.com/sudo-bmitch/oci-digest v0.1.2
	golang.org/x/crypto v0.53.0
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.10 // indirect
)
