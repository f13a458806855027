package io.omninode.bridge.adapter.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every file under {@code deploy/kubernetes}: the manifests read with fabric8's model as the API server
 * would read them (one object a file), and the kustomizations, which are kustomize's and not the API's.
 */
final class Manifests {

  static final Path ROOT = Path.of("deploy/kubernetes");
  static final String KUSTOMIZATION = "kustomization.yaml";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  /** A manifest and what it parsed into. */
  record Manifest(Path file, Object parsed) {

    HasMetadata object() {
      return (HasMetadata) parsed;
    }
  }

  private Manifests() {
  }

  /** Each {@code .yaml} file but the kustomizations, parsed, in path order; one that does not parse, as its failure. */
  static List<Manifest> read() {
    return yamlFiles().stream().filter(file -> !isKustomization(file)).map(file -> new Manifest(file, parse(file))).toList();
  }

  private static Object parse(Path file) {
    try {
      return SERIALIZATION.unmarshal(text(file));
    } catch (RuntimeException e) {
      return e;
    }
  }

  static List<Path> kustomizations() {
    return yamlFiles().stream().filter(Manifests::isKustomization).toList();
  }

  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one manifest of {@code type} named {@code name}. */
  static <T extends HasMetadata> T one(List<Manifest> manifests, Class<T> type, String name) {
    return manifests.stream().map(Manifest::parsed).filter(type::isInstance).map(type::cast)
        .filter(object -> name.equals(object.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " under " + ROOT));
  }

  /** A YAML file that is not an API object (a kustomization), as JSON. */
  static JsonObject yaml(Path file) {
    return new JsonObject(SERIALIZATION.convertToJson(text(file)));
  }

  static boolean isKustomization(Path file) {
    return file.getFileName().toString().equals(KUSTOMIZATION);
  }

  /** Whether the model knew the object's kind: an unknown kind or apiVersion parses into a generic resource. */
  static boolean typed(Object parsed) {
    return parsed instanceof HasMetadata && !(parsed instanceof GenericKubernetesResource);
  }

  /**
   * The fields the model does not know, by path: fabric8 keeps a misspelt field ({@code readinesProbe})
   * in {@code additionalProperties} instead of refusing it, as the API server would.
   */
  static List<String> unknownFields(Object parsed) {
    List<String> found = new ArrayList<>();
    walk(parsed, "", found);
    return found;
  }

  private static void walk(Object node, String path, List<String> found) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "[" + key + "]", found));
    } else if (node instanceof Collection<?> list) {
      int index = 0;
      for (Object element : list) {
        walk(element, path + "[" + index++ + "]", found);
      }
    } else if (node != null && node.getClass().getName().startsWith(MODEL_PACKAGE)) {
      for (Method getter : node.getClass().getMethods()) {
        if (getter.getParameterCount() > 0 || Modifier.isStatic(getter.getModifiers())
            || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
          continue;
        }
        Object value = invoke(getter, node);
        String name = path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
        if (getter.getName().equals("getAdditionalProperties")) {
          ((Map<?, ?>) value).keySet().forEach(key -> found.add(path + "." + key));
        } else {
          walk(value, name, found);
        }
      }
    }
  }

  private static Object invoke(Method getter, Object node) {
    try {
      return getter.invoke(node);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter + " of " + node.getClass(), e);
    }
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
