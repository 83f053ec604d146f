# The tradeetl container image: a static binary (no cgo) on a distroless
# base that runs as an unprivileged user (65532) with no shell.
#
#   docker build -t tradeetl .
#   docker run --rm -v "$PWD/fixtures:/in:ro" -v "$PWD/out:/out" tradeetl run --out /out /in
#
# deploy/kubernetes runs it as a CronJob; the build command below is the
# one deploy/kubernetes_test.go checks makes a static binary.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/tradeetl ./cmd/tradeetl

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tradeetl /usr/local/bin/tradeetl
USER 65532:65532
WORKDIR /work
ENV HOME=/work TMPDIR=/work
ENTRYPOINT ["/usr/local/bin/tradeetl"]
CMD ["--help"]
