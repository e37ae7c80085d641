package io.roster.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator-facing {@code application.yml} at the top of the repository says it shows every setting
 * with its default: it names each of {@link RosterProperties}' settings, no setting that does not exist,
 * and binds to exactly the defaults a member runs with when nothing is set.
 */
class OperatorConfigurationTest {

    private static final String PREFIX = "roster";

    @Test
    void namesEverySettingAndNothingElse() throws IOException {
        Set<String> inFile = operatorFile().stream()
                .flatMap(source -> Arrays.stream(((EnumerablePropertySource<?>) source).getPropertyNames()))
                .filter(name -> name.startsWith(PREFIX + "."))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(inFile).isEqualTo(settings(PREFIX, RosterProperties.class));
    }

    @Test
    void showsTheDefaultOfEverySetting() throws IOException {
        StandardEnvironment withFile = emptyEnvironment();
        operatorFile().forEach(withFile.getPropertySources()::addLast);

        assertThat(bind(withFile)).isEqualTo(bind(emptyEnvironment()));
    }

    private static List<PropertySource<?>> operatorFile() throws IOException {
        return new YamlPropertySourceLoader().load("application.yml",
                new FileSystemResource(Path.of("application.yml")));
    }

    /** No system properties or environment variables: only what a test adds. */
    private static StandardEnvironment emptyEnvironment() {
        StandardEnvironment empty = new StandardEnvironment();
        empty.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        empty.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        return empty;
    }

    private static RosterProperties bind(StandardEnvironment environment) {
        return new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate(PREFIX, Bindable.of(RosterProperties.class));
    }

    /** The leaf setting names of a properties record, as Spring's kebab-case names them. */
    private static Set<String> settings(String prefix, Class<?> record) {
        Set<String> names = new TreeSet<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            Class<?> type = component.getType();
            if (type.isRecord()) {
                names.addAll(settings(name, type));
            } else if (List.class.isAssignableFrom(type)) {
                Type element = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
                assertThat(element).as("list setting %s", name).isEqualTo(String.class);
                names.add(name); // written as one comma-separated value
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
