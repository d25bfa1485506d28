package dev.switchboard.engineio.transport;

import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;

/** Adds server-wide headers (CORS) to every response the Engine.IO path sends. */
@FunctionalInterface
public interface ResponseDecorator {
  HttpResponse.Builder decorate(HttpRequest request, HttpResponse.Builder response);

  ResponseDecorator NONE = (req, res) -> res;
}
