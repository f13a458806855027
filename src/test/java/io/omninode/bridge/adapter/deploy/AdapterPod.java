package io.omninode.bridge.adapter.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The adapter's container of the Deployment as the kubelet runs it: its environment with {@code $(NAME)}
 * expanded, its ports by name, and the ConfigMap or Secret key behind a file path it reads.
 */
record AdapterPod(Deployment deployment, PodSpec spec, Container container) {

  /** What the downward API gives these fields in the checks: any pod's values would do. */
  static final String POD_IP = "10.244.1.17";
  static final String NAMESPACE = "bridge-prod";

  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** The key of a ConfigMap or Secret volume that the container sees as one file, and the mount it comes by. */
  record MountedFile(Volume volume, VolumeMount mount, String key) {
  }

  static AdapterPod of(Deployment deployment) {
    PodSpec spec = deployment.getSpec().getTemplate().getSpec();
    Container adapter = spec.getContainers().stream().filter(container -> container.getName().equals("adapter"))
        .findFirst().orElseThrow(() -> new AssertionError("the Deployment has no container named adapter"));
    return new AdapterPod(deployment, spec, adapter);
  }

  Map<String, String> labels() {
    return deployment.getSpec().getTemplate().getMetadata().getLabels();
  }

  /**
   * The variables with a value: literal ones with earlier variables' {@code $(NAME)} expanded as the kubelet
   * does, and the pod's IP and namespace from the downward API; Secret references are left out.
   */
  Map<String, String> environment() {
    Map<String, String> values = new LinkedHashMap<>();
    for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
      if (variable.getValueFrom() == null) {
        values.put(variable.getName(), expand(variable.getValue(), values));
      } else if (variable.getValueFrom().getFieldRef() != null) {
        String field = variable.getValueFrom().getFieldRef().getFieldPath();
        values.put(variable.getName(), switch (field) {
          case "status.podIP" -> POD_IP;
          case "metadata.namespace" -> NAMESPACE;
          default -> throw new AssertionError("no stand-in for the downward API's " + field);
        });
      }
    }
    return values;
  }

  /** The container port a probe's or a Service's port names (by name or number); null when none. */
  Integer containerPort(IntOrString port) {
    return container.getPorts().stream()
        .filter(candidate -> port.getIntVal() != null ? port.getIntVal().equals(candidate.getContainerPort())
            : port.getStrVal().equals(candidate.getName()))
        .map(candidate -> candidate.getContainerPort()).findFirst().orElse(null);
  }

  /** The ConfigMap or Secret key the container reads at {@code path}: a subPath mount, or a file in a mounted directory. */
  MountedFile fileAt(String path) {
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volume(mount.getName());
      if (mount.getSubPath() != null && mount.getMountPath().equals(path)) {
        return new MountedFile(volume, mount, key(volume, mount.getSubPath()));
      }
      if (mount.getSubPath() == null && path.startsWith(mount.getMountPath() + "/")) {
        return new MountedFile(volume, mount, key(volume, path.substring(mount.getMountPath().length() + 1)));
      }
    }
    throw new AssertionError("no volume of the adapter's container holds " + path);
  }

  private Volume volume(String name) {
    return spec.getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the container mounts volume " + name + ", which the pod does not have"));
  }

  /** The key projected at {@code file}: named by an item when the volume lists items, else the file's own name. */
  private static String key(Volume volume, String file) {
    List<KeyToPath> items = volume.getConfigMap() != null ? volume.getConfigMap().getItems()
        : volume.getSecret() != null ? volume.getSecret().getItems() : List.of();
    if (items == null || items.isEmpty()) {
      return file;
    }
    return items.stream().filter(item -> item.getPath().equals(file)).map(KeyToPath::getKey).findFirst()
        .orElseThrow(() -> new AssertionError("volume " + volume.getName() + " projects no key at " + file));
  }

  private static String expand(String value, Map<String, String> earlier) {
    if (value == null) {
      return "";
    }
    Matcher reference = REFERENCE.matcher(value);
    StringBuilder expanded = new StringBuilder();
    while (reference.find()) {
      // the kubelet leaves a reference to an unknown or later variable as it is
      String replacement = earlier.getOrDefault(reference.group(1), reference.group());
      reference.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
    }
    return reference.appendTail(expanded).toString();
  }
}
