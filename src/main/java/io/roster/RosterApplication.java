package io.roster;

import org.rocksdb.RocksDB;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RosterApplication {

    public static void main(String[] args) {
        // RocksDB unpacks its native library from its jar on first use, a tenth of a second that the Raft log
        // would otherwise wait for in the middle of the start; loadLibrary is safe to race.
        Thread nativeLoad = new Thread(RocksDB::loadLibrary, "rocksdb-native-load");
        nativeLoad.setDaemon(true);
        nativeLoad.start();
        SpringApplication application = new SpringApplication(RosterApplication.class);
        application.addListeners(new AheadOfTimeStart());
        application.run(args);
    }
}
