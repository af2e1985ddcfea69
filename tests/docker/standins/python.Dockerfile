# STAND-IN for python:3.11-slim-bookworm, built only by the test suite (no container registry is
# reachable from its machines). Debian bookworm's own Python 3.11 (the official image has its
# own build of 3.11 on the same Debian), answering as `python` and `pip` in /usr/local/bin
# as the official image does.
FROM miniatures-standin/debian:bookworm
ENV LANG=C.UTF-8
# The machine's own certificate authorities (ca/), so that pip reaches PyPI where outgoing
# HTTPS passes through a re-signing proxy; ca-certificates' install step adds them.
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3.11 python3.11-venv python3-pip \
    && rm -rf /var/lib/apt/lists/* \
    && rm /usr/lib/python3.11/EXTERNALLY-MANAGED \
    && ln -s /usr/bin/python3.11 /usr/local/bin/python \
    && ln -s /usr/bin/python3.11 /usr/local/bin/python3 \
    && ln -s /usr/bin/pip3 /usr/local/bin/pip
CMD ["python3"]
