package dev.warden.control;

import io.javalin.http.Context;

/**
 * The control plane's cookies, written one way: always HttpOnly (no page script ever reads them),
 * Secure when the control plane is served over HTTPS, and a SameSite and path chosen per cookie.
 */
final class Cookies {
    private Cookies() {}

    static void set(Context ctx, String name, String value, String path, long maxAgeSeconds, String sameSite,
            boolean secure) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=" + sameSite + (secure ? "; Secure" : ""));
    }

    /** The web session cookie: Strict, so no other site can make the browser send it. */
    static void setSession(Context ctx, String sessionId, boolean secure) {
        set(ctx, WebSessions.COOKIE, sessionId, "/", WebSessions.LIFETIME.toSeconds(), "Strict", secure);
    }

    static void clearSession(Context ctx, boolean secure) {
        set(ctx, WebSessions.COOKIE, "", "/", 0, "Strict", secure);
    }
}
