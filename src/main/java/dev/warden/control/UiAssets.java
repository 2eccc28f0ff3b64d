package dev.warden.control;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web UI's files, served from the jar: a fixed list read once at start, so no request path ever
 * reaches the class path (nothing to traverse) and a missing file stops the start instead of a page.
 * Open to anyone: the pages hold no data; everything they show comes from the REST API with the
 * caller's credentials.
 */
public final class UiAssets {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "yaml", "application/yaml; charset=utf-8");
    static final List<String> FILES = List.of("index.html", "style.css", "app.js", "api.js", "dom.js", "approvals.js",
            "sessions.js", "policy.js", "grants.js", "token.js");

    private record Asset(String type, byte[] bytes) {}

    private final Map<String, Asset> assets;
    private final Asset openApi;

    private UiAssets(Map<String, Asset> assets, Asset openApi) {
        this.assets = assets;
        this.openApi = openApi;
    }

    public static UiAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String file : FILES) {
            assets.put(file, read("/ui/" + file));
        }
        return new UiAssets(assets, read("/control/openapi.yaml"));
    }

    private static Asset read(String resource) {
        try (InputStream in = UiAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web UI file " + resource + " is missing from the jar");
            }
            String extension = resource.substring(resource.lastIndexOf('.') + 1);
            return new Asset(TYPES.get(extension), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(Endpoint.get("/", ctx -> ctx.redirect("/ui/"), Role.ANYONE));
        endpoints.add(Endpoint.get("/ui/", ctx -> send(ctx, assets.get("index.html")), Role.ANYONE));
        // Webhooks link to <public_url>/approvals/<id>; only an id's own characters go into the redirect.
        endpoints.add(Endpoint.get("/approvals/{id}", ctx -> ctx.redirect("/ui/#/approvals/"
                + ctx.pathParam("id").replaceAll("[^A-Za-z0-9_]", "")), Role.ANYONE));
        for (Map.Entry<String, Asset> asset : assets.entrySet()) {
            endpoints.add(Endpoint.get("/ui/" + asset.getKey(), ctx -> send(ctx, asset.getValue()), Role.ANYONE));
        }
        endpoints.add(Endpoint.get("/api/v1/openapi.yaml", ctx -> send(ctx, openApi), Role.ANYONE));
        return endpoints;
    }

    private static void send(Context ctx, Asset asset) {
        ctx.status(200).contentType(asset.type()).result(asset.bytes());
    }
}
