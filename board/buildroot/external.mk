include $(sort $(wildcard $(BR2_EXTERNAL_BERTH_PATH)/package/*/*.mk))
