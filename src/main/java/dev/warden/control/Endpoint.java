package dev.warden.control;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Handler;
import java.util.Set;

/**
 * One control-plane endpoint and the roles that may call it. An endpoint that declares no role is
 * a mistake that would leave it open or shut by accident: the server refuses to start with one.
 */
public record Endpoint(Method method, String path, Set<Role> roles, Handler handler) {
    public enum Method {
        GET,
        POST,
        DELETE
    }

    public Endpoint {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        roles = Set.copyOf(requireNonNull(roles, "roles is null"));
        requireNonNull(handler, "handler is null");
    }

    public static Endpoint get(String path, Handler handler, Role... roles) {
        return new Endpoint(Method.GET, path, Set.of(roles), handler);
    }

    public static Endpoint post(String path, Handler handler, Role... roles) {
        return new Endpoint(Method.POST, path, Set.of(roles), handler);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
