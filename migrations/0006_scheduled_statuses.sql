CREATE TABLE `scheduled_statuses` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`params` text NOT NULL,
	`application_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scheduled_statuses_account` ON `scheduled_statuses` (`account_id`,`id`);