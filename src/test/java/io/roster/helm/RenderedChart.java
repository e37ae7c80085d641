package io.roster.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.roster.testing.Directories;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under {@code helm/} rendered by Helm itself (helm-java runs Helm's Go code in this JVM), parsed
 * into plain maps and lists. Release {@code roster} in namespace {@code default}, as {@code helm template}
 * would render it.
 */
final class RenderedChart {

    static final String RELEASE = "roster";
    static final String NAMESPACE = "default";
    /** The annotation that makes Helm hold a resource back as a hook (see {@link #renderWithHooks}). */
    static final String HOOK_ANNOTATION = "\"helm.sh/hook\":";
    static final String FORMER_HOOK_ANNOTATION = "\"test.roster.io/hook\":";

    private final List<Map<String, Object>> documents;

    private RenderedChart(List<Map<String, Object>> documents) {
        this.documents = documents;
    }

    /** The chart's directory: {@code helm/} of the project (tests run from the project's base directory). */
    static Path chartDir() {
        Path dir = Path.of("helm").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException(dir + " has no Chart.yaml; run the tests from the project's directory");
        }
        return dir;
    }

    /** Renders what {@code helm install} applies (hooks left out, as helm-java's template leaves them out). */
    static RenderedChart render(Map<String, ?> values) {
        return render(chartDir(), values);
    }

    /**
     * Renders hooks too. helm-java's template, unlike the helm CLI's, returns no hooks, so this renders a
     * copy of the chart whose hook annotation key is renamed: Helm then renders the hook as an ordinary
     * resource, from the same template, with the same values. The renamed annotation keeps its value.
     */
    static RenderedChart renderWithHooks(Map<String, ?> values) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("roster-chart-");
            Path source = chartDir();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        String text = Files.readString(file);
                        Files.writeString(target, file.getParent().getFileName().toString().equals("templates")
                                ? text.replace(HOOK_ANNOTATION, FORMER_HOOK_ANNOTATION) : text);
                    }
                }
            }
            return render(copy, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Directories.delete(copy);
        }
    }

    private static RenderedChart render(Path chart, Map<String, ?> values) {
        TemplateCommand template = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return parse(template.call());
    }

    @SuppressWarnings("unchecked")
    static RenderedChart parse(String manifests) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(manifests)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return new RenderedChart(documents);
    }

    List<Map<String, Object>> documents() {
        return documents;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
    }

    /** The one resource of this kind and name; fails naming what was rendered instead. */
    Map<String, Object> get(String kind, String name) {
        return documents.stream()
                .filter(document -> kind.equals(document.get("kind")) && name.equals(at(document, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; rendered: " + names()));
    }

    List<String> names() {
        return documents.stream().map(document -> document.get("kind") + "/" + at(document, "metadata", "name")).toList();
    }

    /** The value at a path of map keys and list indexes, or null when the path leads nowhere. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return (T) current;
    }

    /** The only container of a workload's pod template (a StatefulSet's, a Job's). */
    static Map<String, Object> container(Map<String, Object> workload) {
        List<Map<String, Object>> containers = at(workload, "spec", "template", "spec", "containers");
        if (containers == null || containers.size() != 1) {
            throw new AssertionError("expected one container in " + at(workload, "metadata", "name") + ": " + containers);
        }
        return containers.get(0);
    }

    /** A container's env as name → the whole entry (value or valueFrom), in order. */
    static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        List<Map<String, Object>> entries = at(container, "env");
        for (Map<String, Object> entry : entries == null ? List.<Map<String, Object>>of() : entries) {
            env.put((String) entry.get("name"), entry);
        }
        return env;
    }
}
