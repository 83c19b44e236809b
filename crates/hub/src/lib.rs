//! The provincial hub: storage, verification, routing and the HTTP API.
