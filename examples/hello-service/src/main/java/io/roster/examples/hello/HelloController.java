package io.roster.examples.hello;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import java.util.List;

/** Shows what the starter gives an application: its registration, its peers, calls by name and configuration. */
@RestController
class HelloController {

    static final String SERVICE = "hello-service";

    private final Registration registration;
    private final DiscoveryClient discovery;
    private final RestClient peers;
    private final Greeting greeting;

    HelloController(Registration registration, DiscoveryClient discovery, @LoadBalanced RestClient.Builder loadBalanced,
                    Greeting greeting) {
        this.registration = registration;
        this.discovery = discovery;
        this.peers = loadBalanced.baseUrl("http://" + SERVICE).build();
        this.greeting = greeting;
    }

    /** This instance's id in the registry. */
    @GetMapping("/hello")
    String hello() {
        return registration.getInstanceId();
    }

    /** The instance ids this application's DiscoveryClient sees for hello-service, itself included. */
    @GetMapping("/peers")
    List<String> peers() {
        return discovery.getInstances(SERVICE).stream().map(ServiceInstance::getInstanceId).sorted().toList();
    }

    /** /hello of whichever hello-service instance the load balancer picks. */
    @GetMapping("/call")
    String call() {
        return peers.get().uri("/hello").retrieve().body(String.class);
    }

    /** The property "greeting", as Roster's key-value store last set it. */
    @GetMapping("/greeting")
    String greeting() {
        return greeting.text();
    }
}
