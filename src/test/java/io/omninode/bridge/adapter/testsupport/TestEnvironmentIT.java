package io.omninode.bridge.adapter.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The test environment provides a real PostgreSQL and a real Kafka broker")
class TestEnvironmentIT {

  @Test
  @DisplayName("a created database is usable and is gone once dropped")
  void createdDatabaseIsUsableAndDropped() throws Exception {
    PgTarget pg = TestEnvironment.postgres();
    String database = TestEnvironment.createDatabase("TestEnvironmentIT");
    try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
         ResultSet result = connection.createStatement().executeQuery("SELECT current_database()")) {
      result.next();
      assertThat(result.getString(1)).isEqualTo(database);
    }
    TestEnvironment.dropDatabase(database);
    assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password()).close())
        .hasMessageContaining(database);
  }

  @Test
  @DisplayName("a record produced to a new topic can be consumed back")
  void producedRecordIsConsumed() throws Exception {
    String topic = "env-it-" + UUID.randomUUID();
    String servers = TestEnvironment.kafkaBootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "key", "value")).get(30, TimeUnit.SECONDS);
    }
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
        ConsumerConfig.GROUP_ID_CONFIG, topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      for (int i = 0; i < 30 && records.isEmpty(); i++) {
        records = consumer.poll(Duration.ofSeconds(1));
      }
      assertThat(records).singleElement().satisfies(record -> {
        assertThat(record.key()).isEqualTo("key");
        assertThat(record.value()).isEqualTo("value");
      });
    }
  }
}
