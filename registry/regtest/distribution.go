// Package regtest holds test helpers that start real registries: the CNCF
// distribution registry from Debian's docker-registry package, and proxies
// that inject faults or latency in front of any registry.
package regtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// DistributionBinary is the Debian package's registry binary.
const DistributionBinary = "docker-registry"

// Distribution is a running CNCF distribution registry.
type Distribution struct {
	Host   string // 127.0.0.1:PORT
	CAFile string // PEM of the self-signed certificate, when TLS is on
	User   string
	Pass   string
	// Root is the filesystem storage's root directory.
	Root string
}

// DistributionOptions choose auth and TLS.
type DistributionOptions struct {
	TLS  bool
	Auth bool // htpasswd basic auth with User "platypus" and a generated password
	// CatalogMax is the most repositories one catalog page holds (the
	// registry's own default: 1000); past it a Link header leads on.
	CatalogMax int
	// NoDelete leaves storage.delete off, as the registry ships: every
	// DELETE of a manifest is refused (405 UNSUPPORTED).
	NoDelete bool
}

// StartDistribution starts docker-registry on a free loopback port for the
// test's lifetime. When the binary is missing the test is skipped, except
// under CI=true, where it fails: CI installs the package.
func StartDistribution(t testing.TB, o DistributionOptions) *Distribution {
	t.Helper()
	bin, err := exec.LookPath(DistributionBinary)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found under CI=true: .ci/run installs it (apt-get install docker-registry)", DistributionBinary)
		}
		t.Skipf("%s not installed (apt-get install docker-registry)", DistributionBinary)
	}
	dir := t.TempDir()
	port := freePort(t)
	d := &Distribution{Host: "127.0.0.1:" + strconv.Itoa(port), Root: filepath.Join(dir, "data")}
	cfg := fmt.Sprintf(`version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
`, d.Root, d.Host)
	if o.NoDelete {
		cfg = strings.Replace(cfg, "  delete:\n    enabled: true\n", "", 1)
	}
	if o.CatalogMax > 0 {
		cfg += fmt.Sprintf("catalog:\n  maxentries: %d\n", o.CatalogMax)
	}
	if o.TLS {
		cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		writeSelfSigned(t, cert, key)
		d.CAFile = cert
		cfg += fmt.Sprintf("  tls:\n    certificate: %s\n    key: %s\n", cert, key)
	}
	if o.Auth {
		d.User, d.Pass = "platypus", "s3cret-"+strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
		hash, err := bcrypt.GenerateFromPassword([]byte(d.Pass), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		htp := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(htp, []byte(d.User+":"+string(hash)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg += fmt.Sprintf("auth:\n  htpasswd:\n    realm: platypus-test\n    path: %s\n", htp)
	}
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", cfgPath)
	logf, _ := os.Create(filepath.Join(dir, "registry.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logf.Close()
	})
	if err := waitReady(d.Host, o.TLS, 15*time.Second); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "registry.log"))
		t.Fatalf("%s did not start: %v\n%s", bin, err, log)
	}
	return d
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitReady(host string, tls bool, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		conn, err := net.DialTimeout("tcp", host, time.Second)
		if err == nil {
			_ = conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the registry never listened: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// writeSelfSigned writes a certificate for 127.0.0.1 and localhost.
func writeSelfSigned(t testing.TB, certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "platypus test registry"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
}
