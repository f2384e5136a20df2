# Doberman as a container: `docker build -t doberman .`, then see README.md, "Running it in a container".
# Two stages: the Rust toolchain builds the one binary (migrations, cards, the message catalogs, icons and the
# heatmap's font are compiled in); the image that runs it holds only the binary and the CA certificates, and runs as an unprivileged
# user.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Cargo.toml names the bench targets, so cargo wants their files even for a release build of the binary.
COPY Cargo.toml Cargo.lock README.md build.rs ./
COPY src src
COPY benches benches
COPY migrations migrations
COPY cards cards
COPY locales locales
COPY manifest manifest
COPY assets assets
RUN cargo build --release --locked --bin doberman \
 && strip target/release/doberman

FROM debian:bookworm-slim
# TLS to Teams, Entra and AWS verifies against the system's roots.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/doberman --create-home doberman
COPY --from=build /src/target/release/doberman /usr/local/bin/doberman
USER 10001:10001
# The SQLite default store (doberman.db) lives here; with MySQL nothing is written to disk.
WORKDIR /var/lib/doberman
VOLUME ["/var/lib/doberman"]
# Inside a container the endpoint must listen beyond loopback; TLS terminates in front of it.
ENV DOBERMAN_HTTP__LISTEN=0.0.0.0:3978 \
    DOBERMAN_LOG__FORMAT=json
EXPOSE 3978
# No shell or curl in the image: point the orchestrator's HTTP probes at /healthz (liveness) and /readyz.
ENTRYPOINT ["/usr/local/bin/doberman"]
CMD ["serve"]
