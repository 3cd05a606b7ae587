@area:devices
Feature: Buses and their isolation
  Each KBUS device is a bus of its own, and buses share nothing: a message sent on one never
  reaches another, each has its own bindings and repliers, its own Ksock ids and message serial
  numbers, and its own settings (size limit, replier-bind reporting, verbose logging). NEWDEVICE
  adds a bus, numbered after the last one, up to device number 255; a new bus starts with the
  default settings and numbers its Ksocks and messages from 1.

  @DEV-02 @spec:ioctls @extended @needs:new-device
  Scenario: Each NEWDEVICE creates the next bus, which can then be opened
    Given a Ksock "alice"
    And "alice" has created a new device
    When "alice" creates a new device
    Then it succeeds
    And the new device has the number after the one created before it
    And each new device opens read-only and read/write

  @DEV-02 @spec:ioctls @extended @needs:new-device
  Scenario: A bus made by NEWDEVICE carries messages like any other
    Given a Ksock "alice"
    And "alice" has created a new device
    And a Ksock "erin" on the new device
    And a Ksock "frank" on the new device
    And "frank" listens to "$.Sensors.Kitchen"
    When "erin" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "frank" receives "$.Sensors.Kitchen" with:
      | from | erin |

  @DEV-03 @spec:ioctls @extended @needs:new-device @needs:fresh-device
  Scenario: NEWDEVICE refuses to create a device beyond number 255
    Only where every scenario has devices of its own: elsewhere this would use up every number.

    Given a Ksock "alice"
    When "alice" creates new devices until NEWDEVICE refuses
    Then it fails with EINVAL
    And the last new device created is number 255

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: An announcement on one bus never reaches a listener on another
    Given the Ksocks "alice" and "bob"
    And a Ksock "dave" on a second bus
    And "bob" listens to "$.Sensors.Kitchen"
    And "dave" listens to "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen"
    And "dave" receives nothing

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: A listener to everything on one bus hears nothing of another bus
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    And a Ksock "erin" on a second bus
    And "alice" listens to "$.*"
    And "erin" is the replier for "$.Lights.Kitchen"
    When "dave" sends a request "$.Lights.Kitchen"
    Then it succeeds
    And "alice" receives nothing

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: A replier on another bus does not make a request sendable
    Given the Ksocks "alice" and "bob"
    And a Ksock "dave" on a second bus
    And "dave" is the replier for "$.Lights.Kitchen"
    And "bob" listens to "$.Lights.Kitchen"
    When "alice" sends a request "$.Lights.Kitchen"
    Then it fails with EADDRNOTAVAIL
    And "bob" receives nothing
    And "dave" receives nothing

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: Each bus has its own replier for the same name
    Given the Ksocks "alice" and "bob"
    And a Ksock "carol" on a second bus
    And a Ksock "dave" on a second bus
    And "bob" is the replier for "$.Lights.Kitchen"
    When "dave" binds as replier to "$.Lights.Kitchen"
    Then it succeeds
    When "carol" sends a request "$.Lights.Kitchen"
    Then it succeeds
    And "dave" receives "$.Lights.Kitchen" with:
      | from | carol |
    And "bob" receives nothing
    And "bob" is the replier bound to "$.Lights.Kitchen"

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: Sending on another bus uses up none of this bus's serial numbers
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "dave" has sent announcements "$.Sensors.Kitchen", "$.Sensors.Hall" and "$.Sensors.Garden"
    Then the next announcement "alice" sends is 1 serial number after its previous one

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: Opening Ksocks on another bus uses up none of this bus's Ksock ids
    Given a Ksock "dave" on a second bus
    And a Ksock "alice"
    And a Ksock "erin" on a second bus
    And a Ksock "frank" on a second bus
    And a Ksock "bob"
    Then the Ksock id of "bob" is one more than that of "alice"

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus @needs:fresh-device
  Scenario: Two buses both number their first Ksock 1
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    Then the Ksock ids of "alice" and "dave" are 1 and 1

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: A size limit set on one bus leaves another bus's limit alone
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    And "alice" has set MAXMSGSIZE to 200
    Then MAXMSGSIZE through "dave" is still the build's default

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: Replier-bind reporting switched on for one bus stays off on another
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    When "alice" sets replier-bind reporting with argument 1
    Then it returns 0
    And replier-bind reporting is off as seen by "dave"

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: Verbose logging switched on for one bus stays off on another
    Given a Ksock "alice"
    And a Ksock "dave" on a second bus
    And "dave" has set verbose logging with argument 0
    When "alice" sets verbose logging with argument 1
    Then it succeeds
    And verbose logging is off as seen by "dave"

  @DEV-04 @spec:the-kbus-devices @core @promise:walled-off-buses @needs:second-bus
  Scenario: A replier binding on one bus is never announced on another
    Given the Ksocks "alice" and "bob"
    And a Ksock "dave" on a second bus
    And "alice" has turned on reporting of replier binds
    And "dave" has turned on reporting of replier binds
    And "dave" listens to "$.KBUS.ReplierBindEvent"
    When "bob" binds as replier to "$.Lights.Kitchen"
    Then it succeeds
    And "dave" receives nothing

  @DEV-05 @spec:the-kbus-devices @extended @needs:new-device
  Scenario: A new device starts with the default size limit and reporting off
    Given a Ksock "alice"
    And "alice" has set MAXMSGSIZE to 200
    And "alice" has turned on reporting of replier binds
    And "alice" has created a new device
    And a Ksock "erin" on the new device
    Then MAXMSGSIZE through "erin" is still the build's default
    And replier-bind reporting is off as seen by "erin"

  @DEV-05 @spec:the-kbus-devices @extended @needs:new-device @needs:fresh-device
  Scenario: The first Ksock and the first message on a new device are both numbered 1
    Given a Ksock "alice"
    And "alice" has created a new device
    And a Ksock "erin" on the new device
    And a Ksock "frank" on the new device
    And "frank" listens to "$.Sensors.Kitchen"
    When "erin" sends an announcement "$.Sensors.Kitchen"
    Then the id SEND returned to "erin" is [0:1]
    And the Ksock ids of "erin" and "frank" are 1 and 2

  @DEV-01 @spec:the-kbus-devices @extended @needs:module-load
  Scenario Outline: Loading the module for <count> device(s) creates buses 0 to <last>, and no more
    Given the module has been loaded with kbus_num_devices <count>
    Then buses 0 to <last> can each be opened
    And bus <count> does not exist

    Examples:
      | count | last |
      | 1     | 0    |
      | 3     | 2    |

  @DEV-01 @spec:the-kbus-devices @extended @needs:module-load
  Scenario: Loading the module without a device count creates bus 0 alone
    Given the module has been loaded without kbus_num_devices
    Then buses 0 to 0 can each be opened
    And bus 1 does not exist
