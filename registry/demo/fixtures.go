package demo

import "github.com/platypus-tui/platypus/model"

// Repositories lists the demo registry's repositories, in catalog order.
var Repositories = []string{
	"artiomchi/helloworld",
	"library/centos",
	"library/hello-world",
	"library/mysql",
	"platypus/charts",
	"platypus/many-tags",
	"platypus/nested",
	"platypus/webapp",
	"yorek/multiarch-hello-world",
}

// ManyTagsCount is how many tags platypus/many-tags has.
const ManyTagsCount = 3000

func linux(arch, variant string) model.Platform {
	return model.Platform{OS: "linux", Architecture: arch, Variant: variant}
}

func windows(version string) model.Platform {
	return model.Platform{OS: "windows", Architecture: "amd64", OSVersion: version}
}

// fills builds each demo repository into a layout; platypus/webapp's
// 1.1-rc1 comes after its 1.0.
var fills = map[string]func(*layout){
	"artiomchi/helloworld":        seedArtiomchi,
	"library/centos":              seedCentos,
	"library/hello-world":         seedHelloWorld,
	"library/mysql":               seedMySQL,
	"platypus/charts":             seedCharts,
	"platypus/many-tags":          seedManyTags,
	"platypus/nested":             seedNested,
	"platypus/webapp":             func(l *layout) { seedWebapp(l); seedRelease(l) },
	"yorek/multiarch-hello-world": seedYorek,
}

// seed writes every demo repository under root.
func seed(root string) error {
	for _, repo := range Repositories {
		l := newLayout(root, repo)
		fills[repo](l)
		if err := l.write(); err != nil {
			return err
		}
	}
	return nil
}

func centosImage(p model.Platform, release, buildDate string, size int) imageSpec {
	created := "2019-03-14T21:19:53.361167852Z"
	if release == "6.6" {
		created = "2016-06-02T21:48:33.285129581Z"
	}
	return imageSpec{
		platform: p, docker: true, created: created,
		steps: []step{
			{
				createdBy: "/bin/sh -c #(nop) ADD file:" + model.DigestOf([]byte(p.String() + release))[7:71] + " in / ",
				files: map[string]string{
					"etc/centos-release": "CentOS Linux release " + release + " (" + p.Architecture + ")\n",
					"etc/os-release":     "NAME=\"CentOS Linux\"\nVERSION=\"" + release + "\"\nID=\"centos\"\n",
				},
				filler: size,
			},
			{createdBy: "/bin/sh -c #(nop)  LABEL org.label-schema.schema-version=1.0 org.label-schema.name=CentOS Base Image org.label-schema.vendor=CentOS org.label-schema.license=GPLv2 org.label-schema.build-date=" + buildDate, empty: true},
			{createdBy: "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]", empty: true},
		},
		config: runConfig{
			Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
			Cmd: []string{"/bin/bash"},
			Labels: map[string]string{
				"org.label-schema.build-date": buildDate, "org.label-schema.license": "GPLv2",
				"org.label-schema.name": "CentOS Base Image", "org.label-schema.schema-version": "1.0",
				"org.label-schema.vendor": "CentOS",
			},
		},
	}
}

func seedCentos(l *layout) {
	var seven []descriptor
	for i, p := range []model.Platform{linux("amd64", ""), linux("arm", "v7"), linux("arm64", "v8"), linux("386", ""), linux("ppc64le", "")} {
		seven = append(seven, l.image(centosImage(p, "7.6.1810", "20190305", 24000+i*1500)))
	}
	l.tag("7", l.index(true, seven, nil))
	l.tag("7.6.1810", l.index(true, seven, nil))
	six := l.index(true, []descriptor{l.image(centosImage(linux("amd64", ""), "6.6", "20160602", 21000))}, nil)
	l.tag("6.6", six)
	l.tag("6", six)
}

func helloWindows(version, build string) imageSpec {
	return imageSpec{
		platform: windows(version), docker: true, created: "2019-07-09T18:32:27.1541244Z",
		steps: []step{
			{createdBy: "Apply image " + build + "-amd64", files: map[string]string{"Files/Windows/System32/ntdll.dll": "nanoserver " + version}, filler: 30000, created: "2019-07-02T11:20:18.1106414Z"},
			{createdBy: "cmd /S /C #(nop) COPY file:b7a4a5c1cd1ef1c4d2d7e1d4b5b1a8b8f1d6b6b1bd2f3e1c7e4e4f8a0a1e2d3c in C:\\ ", files: map[string]string{"Files/hello.txt": "Hello from Docker!\nThis message shows that your installation appears to be working correctly.\n"}},
			{createdBy: "cmd /S /C #(nop)  CMD [\"cmd\" \"/C\" \"type C:\\\\hello.txt\"]", empty: true},
		},
		config: runConfig{Cmd: []string{"cmd", "/C", "type C:\\hello.txt"}},
	}
}

func helloLinux(p model.Platform) imageSpec {
	return imageSpec{
		platform: p, docker: false, created: "2023-05-04T17:37:03.872958712Z",
		steps: []step{
			{createdBy: "COPY hello / # buildkit", files: map[string]string{"hello": "hello-world for " + p.String() + "\n"}, filler: 2000},
			{createdBy: "CMD [\"/hello\"]", empty: true},
		},
		config: runConfig{Cmd: []string{"/hello"}, Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
	}
}

func seedHelloWorld(l *layout) {
	w1803 := l.image(helloWindows("10.0.17134.885", "1803"))
	w1809 := l.image(helloWindows("10.0.17763.615", "1809"))
	w2016 := l.image(helloWindows("10.0.14393.2551", "1607"))
	w2022 := l.image(helloWindows("10.0.20348.2582", "ltsc2022"))
	var lin []descriptor
	for _, p := range []model.Platform{
		linux("amd64", ""), linux("arm", "v5"), linux("arm", "v7"), linux("arm64", "v8"), linux("386", ""),
		linux("mips64le", ""), linux("ppc64le", ""), linux("riscv64", ""), linux("s390x", ""),
	} {
		lin = append(lin, l.image(helloLinux(p)))
	}
	// The old Docker-era lists, and the OCI index today's tag holds.
	l.tag("nanoserver", l.index(true, []descriptor{w1803, w1809}, nil))
	l.tag("nanoserver-sac2016", l.index(true, []descriptor{w2016}, nil))
	l.tag("nanoserver-1803", l.index(true, []descriptor{w1803}, nil))
	l.tag("nanoserver-1809", l.index(true, []descriptor{w1809}, nil))
	l.tag("nanoserver-ltsc2022", l.index(true, []descriptor{w2022}, nil))
	l.tag("linux", l.index(false, lin, nil))
	l.tag("latest", l.index(false, append(append([]descriptor{}, lin...), w1809, w2022), nil))
}

func mysqlImage(p model.Platform, version, major string) imageSpec {
	created := "2024-01-23T18:29:14Z"
	base := "ADD file:9b0e3a11bbfcb5f7f7f2bc5bd6c2b3e7a9e0f8ad3c3b43e6b71d0a0d8f1a2c3d in / "
	if major == "5.7" {
		created = "2023-10-25T04:12:31Z"
	}
	return imageSpec{
		platform: p, docker: true, created: created,
		steps: []step{
			{createdBy: "/bin/sh -c #(nop) " + base, files: map[string]string{"etc/oracle-release": "Oracle Linux Server release 8.9 " + p.Architecture + "\n"}, filler: 40000},
			{createdBy: "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]", empty: true},
			{createdBy: "/bin/sh -c set -eux; groupadd --system --gid 999 mysql; useradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home mysql", files: map[string]string{"etc/passwd": "root:x:0:0:root:/root:/bin/bash\nmysql:x:999:999::/var/lib/mysql:/bin/bash\n"}},
			{createdBy: "/bin/sh -c #(nop)  ENV MYSQL_MAJOR=" + major, empty: true},
			{createdBy: "/bin/sh -c #(nop)  ENV MYSQL_VERSION=" + version, empty: true},
			{createdBy: "/bin/sh -c set -eux; microdnf install -y mysql-community-server-minimal-" + version + "; microdnf clean all", files: map[string]string{"usr/sbin/mysqld": "mysqld " + version + " " + p.String()}, filler: 60000},
			{createdBy: "/bin/sh -c #(nop)  VOLUME [/var/lib/mysql]", empty: true},
			{createdBy: "/bin/sh -c #(nop) COPY file:e9c22353a1133b89b8ba6ded2b9e1c4b5f2a3f7cd6a4d1e1d7bf5d3f9c0e1a2b in /usr/local/bin/ ", files: map[string]string{"usr/local/bin/docker-entrypoint.sh": "#!/bin/bash\nexec \"$@\"\n"}},
			{createdBy: "/bin/sh -c #(nop)  ENTRYPOINT [\"docker-entrypoint.sh\"]", empty: true},
			{createdBy: "/bin/sh -c #(nop)  EXPOSE 3306 33060", empty: true},
			{createdBy: "/bin/sh -c #(nop)  CMD [\"mysqld\"]", empty: true},
		},
		config: runConfig{
			Env:          []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "MYSQL_MAJOR=" + major, "MYSQL_VERSION=" + version},
			Entrypoint:   []string{"docker-entrypoint.sh"},
			Cmd:          []string{"mysqld"},
			ExposedPorts: map[string]struct{}{"3306/tcp": {}, "33060/tcp": {}},
			Volumes:      map[string]struct{}{"/var/lib/mysql": {}},
		},
	}
}

func seedMySQL(l *layout) {
	five := l.index(true, []descriptor{l.image(mysqlImage(linux("amd64", ""), "5.7.44-1.el7", "5.7"))}, nil)
	eight := l.index(true, []descriptor{
		l.image(mysqlImage(linux("amd64", ""), "8.0.36-1.el8", "8.0")),
		l.image(mysqlImage(linux("arm64", "v8"), "8.0.36-1.el8", "8.0")),
	}, nil)
	for _, t := range []string{"5.7", "5.7.44", "5"} {
		l.tag(t, five)
	}
	for _, t := range []string{"8", "8.0", "8.0.36", "latest"} {
		l.tag(t, eight)
	}
}

func tinyImage(p model.Platform, created, base, cmd string, docker bool) imageSpec {
	return imageSpec{
		platform: p, docker: docker, created: created,
		steps: []step{
			{createdBy: base, files: map[string]string{"etc/issue": base + "\n"}, filler: 8000},
			{createdBy: "/bin/sh -c #(nop)  CMD [\"/bin/sh\" \"-c\" \"" + cmd + "\"]", empty: true},
		},
		config: runConfig{Cmd: []string{"/bin/sh", "-c", cmd}},
	}
}

func seedArtiomchi(l *layout) {
	alpine := l.image(tinyImage(linux("amd64", ""), "2018-03-01T10:12:01Z", "/bin/sh -c #(nop) ADD file:alpine-3.7 in / ", "echo Hello from alpine", true))
	ns := tinyImage(windows("10.0.14393.2068"), "2018-03-01T10:20:44Z", "Apply image 10.0.14393.2068", "echo Hello from nanoserver", true)
	ns.config.Cmd = []string{"cmd", "/S", "/C", "echo Hello from nanoserver"}
	nano := l.image(ns)
	ns1709 := tinyImage(windows("10.0.16299.248"), "2018-03-01T10:25:10Z", "Apply image 10.0.16299.248", "echo Hello from nanoserver 1709", true)
	ns1709.config.Cmd = []string{"cmd", "/S", "/C", "echo Hello from nanoserver 1709"}
	nano1709 := l.image(ns1709)
	l.tag("alpine", alpine)
	l.tag("nanoserver", nano)
	l.tag("nanoserver-1709", nano1709)
	l.tag("latest", l.index(true, []descriptor{alpine, nano, nano1709}, nil))
}

func seedYorek(l *layout) {
	lin := tinyImage(linux("amd64", ""), "2018-04-19T08:31:07Z", "/bin/sh -c #(nop) ADD file:alpine-3.7 in / ", "echo \"Hello World from Linux\"", true)
	win := tinyImage(windows("10.0.14393.2189"), "2018-04-19T08:40:51Z", "Apply image 10.0.14393.2189", "echo \"Hello World from Windows\"", true)
	win.config.Cmd = []string{"cmd", "/S", "/C", "echo \"Hello World from Windows\""}
	l.tag("linux", l.image(lin))
	l.tag("windows", l.image(win))
}
