package dev.warden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker files a new user starts from must hold together: every file the compose file mounts
 * exists in the repository, the Warden configuration and policy it mounts are valid as mounted, and
 * the image runs the jar the build produces as a non-root user. (CI also runs {@code docker compose
 * config} where Docker is installed.)
 */
class TestDeploymentFiles {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    Path etcWarden;

    private static JsonNode compose() throws Exception {
        return new YAMLMapper().readTree(REPO.resolve("docker-compose.yml").toFile());
    }

    @Test
    void everyMountedFileExistsAndTheServicesAreThere() throws Exception {
        JsonNode services = compose().get("services");
        assertThat(services.has("postgres") && services.has("keycloak") && services.has("warden")).isTrue();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(REPO.resolve(source)).as(service.getKey() + " mounts " + source).exists();
                }
            }
        }
    }

    @Test
    void theMountedConfigurationAndPolicyAreValidWhereTheContainerSeesThem() throws Exception {
        Map<String, Path> mounted = new HashMap<>();
        for (JsonNode volume : compose().get("services").get("warden").get("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts[0].startsWith("./") && parts[1].startsWith("/etc/warden/")) {
                mounted.put(parts[1].substring("/etc/warden/".length()), REPO.resolve(parts[0]));
            }
        }
        assertThat(mounted).containsKeys("warden.yaml", "policy.yaml");
        for (Map.Entry<String, Path> file : mounted.entrySet()) {
            Files.copy(file.getValue(), etcWarden.resolve(file.getKey()));
        }
        WardenConfig config = ConfigLoader.load(etcWarden.resolve("warden.yaml"));
        assertThat(config.targets()).containsKey("shop");
        assertThat(config.targets().get("shop").readWrite()).isPresent();
        assertThat(config.control().listener()).isPresent();
        assertThat(config.audit().checkpointKey()).isPresent();
        PolicyLoader.load(config.policy().orElseThrow());
    }

    @Test
    void theImageRunsTheBuiltJarAsANonRootUser() throws Exception {
        List<String> dockerfile = Files.readAllLines(REPO.resolve("Dockerfile"));
        assertThat(dockerfile.stream().filter(line -> line.startsWith("FROM "))).hasSize(2);
        assertThat(dockerfile).anyMatch(line -> line.startsWith("USER ") && !line.contains("root") && !line.contains(" 0"));
        assertThat(dockerfile).anyMatch(line -> line.contains("COPY --from=build /src/target/warden.jar"));
        assertThat(REPO.resolve("pom.xml")).content().contains("<finalName>warden</finalName>");
    }

    /** A resource directory the build stage lacks is skipped by Maven without a word, and the jar then fails at run time. */
    @Test
    void theBuildStageCopiesEveryResourceTheJarIsBuiltFrom() throws Exception {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        java.util.regex.Matcher resources = java.util.regex.Pattern.compile(
                "<resource>\\s*<directory>([^<]+)</directory>(?:\\s*<includes>\\s*<include>([^<]+)</include>)?")
                .matcher(Files.readString(REPO.resolve("pom.xml")));
        int found = 0;
        while (resources.find()) {
            found++;
            String directory = resources.group(1);
            String copied = resources.group(2) == null ? directory : directory + "/" + resources.group(2);
            boolean covered = dockerfile.lines().anyMatch(line -> line.startsWith("COPY ")
                    && (line.contains(" " + copied + " ") || copied.startsWith(line.split(" ")[1].replaceAll("/$", "") + "/")));
            assertThat(covered).as("the Dockerfile's build stage copies " + copied).isTrue();
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theKeycloakRealmGivesWardenAnAudienceAndGroups() throws Exception {
        JsonNode realm = new ObjectMapper().readTree(REPO.resolve("deploy/keycloak-realm.json").toFile());
        JsonNode client = realm.get("clients").get(0);
        assertThat(client.get("clientId").asText()).isEqualTo("warden");
        assertThat(client.get("publicClient").asBoolean()).isTrue();
        assertThat(client.get("protocolMappers").findValuesAsText("protocolMapper"))
                .contains("oidc-audience-mapper", "oidc-group-membership-mapper");
    }
}
